using System.Collections;

namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>A torch storage named by a persistent id: its key in the file and its element count.</summary>
internal sealed record StorageRef(string Key, string StorageType, long ElementCount);

/// <summary>A strided view into a storage, as `torch._utils._rebuild_tensor[_v2]` describes it.</summary>
internal sealed record TensorRef(StorageRef Storage, long Offset, long[] Size, long[] Stride);

/// <summary>A `torch.nn.Parameter` wrapping a tensor.</summary>
internal sealed class PickledParameter
{
    public PickledParameter(TensorRef tensor) => Tensor = tensor;

    public TensorRef Tensor { get; }

    // BUILD state of a legacy Parameter: (requires_grad, volatile/_is_leaf, backward_hooks).
    public void __setstate__(object[] state) { }
}

/// <summary>An instance of an allowed nn.Module class, holding its pickled `__dict__`.</summary>
internal sealed class PickledModule
{
    public PickledModule(string className) => ClassName = className;

    public string ClassName { get; }
    public Hashtable Attributes { get; private set; } = new();

    public void __setstate__(Hashtable state) => Attributes = state;
}

/// <summary>
/// `collections.OrderedDict`: a Hashtable (the unpickler fills dicts through Hashtable) that
/// also remembers insertion order. That is not the state_dict's parameter order: the unpickler
/// inserts a SETITEMS batch last item first, so <see cref="CheckpointFile"/> restores layer order.
/// </summary>
internal sealed class PickledOrderedDict : Hashtable
{
    private readonly List<object> _order = new();

    public IEnumerable<KeyValuePair<object, object?>> OrderedItems => _order.Select(k => new KeyValuePair<object, object?>(k, base[k]));

    public override object? this[object key]
    {
        get => base[key];
        set
        {
            if (!ContainsKey(key)) _order.Add(key);
            base[key] = value;
        }
    }

    public override void Add(object key, object? value)
    {
        base.Add(key, value);
        _order.Add(key);
    }

    // A state_dict's OrderedDict carries `_metadata` (per-module versions) as instance state.
    public void __setstate__(Hashtable state) { }
}
