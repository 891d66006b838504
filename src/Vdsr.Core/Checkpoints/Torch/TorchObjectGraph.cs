using System.Collections;

namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>
/// Finds the named tensors in an unpickled torch.save object: a state_dict (OrderedDict of
/// tensors), an nn.Module, or a dict such as {'epoch': 50, 'model': module-or-state_dict}.
/// </summary>
internal static class TorchObjectGraph
{
    public sealed record Found(List<KeyValuePair<string, TensorRef>> Tensors, int? Epoch);

    public static Found Extract(object? root, TorchUnpickler strings)
    {
        int? epoch = null;
        object? model = root;
        if (root is Hashtable top && root is not PickledOrderedDict && top.ContainsKey("model"))
        {
            model = top["model"];
            if (top.ContainsKey("epoch"))
                epoch = checked((int)TorchPickleGlobals.ToInt64(top["epoch"], "'epoch'"));
        }
        var tensors = new List<KeyValuePair<string, TensorRef>>();
        switch (model)
        {
            case PickledModule module:
                CollectModule(module, "", tensors, strings, depth: 0);
                break;
            case Hashtable dict:
                CollectTensors(dict, "", tensors, strings, "state_dict");
                break;
            default:
                throw new InvalidDataException($"holds no model weights (top-level object is {Describe(model)})");
        }
        if (tensors.Count == 0) throw new InvalidDataException("holds no tensors");
        return new Found(tensors, epoch);
    }

    /// <summary>
    /// VDSR nests modules three deep; a pickle can nest them without end (or make a module its own
    /// child through the memo), which would overflow the stack, so the depth is capped.
    /// </summary>
    private const int MaxModuleDepth = 16;

    private static void CollectModule(PickledModule module, string prefix, List<KeyValuePair<string, TensorRef>> into, TorchUnpickler strings, int depth)
    {
        if (depth > MaxModuleDepth)
            throw new InvalidDataException($"modules nest more than {MaxModuleDepth} deep at '{prefix}' (or contain themselves)");
        foreach (var field in new[] { "_parameters", "_buffers" })
            if (module.Attributes[field] is Hashtable dict)
                CollectTensors(dict, prefix, into, strings, field);
        if (module.Attributes["_modules"] is Hashtable children)
            foreach (var (key, value) in Items(children))
            {
                string name = strings.Text(key, "module name");
                switch (value)
                {
                    case null: break;
                    case PickledModule child: CollectModule(child, prefix + name + ".", into, strings, depth + 1); break;
                    default: throw new InvalidDataException($"submodule '{prefix}{name}' is {Describe(value)}, not a module");
                }
            }
    }

    private static void CollectTensors(Hashtable dict, string prefix, List<KeyValuePair<string, TensorRef>> into, TorchUnpickler strings, string what)
    {
        foreach (var (key, value) in Items(dict))
        {
            string name = prefix + strings.Text(key, $"{what} key");
            switch (value)
            {
                case null: break; // e.g. `bias` of a conv created with bias=False
                case TensorRef t: into.Add(new(name, t)); break;
                case PickledParameter p: into.Add(new(name, p.Tensor)); break;
                default: throw new InvalidDataException($"'{name}' is {Describe(value)}, not a tensor");
            }
        }
    }

    private static IEnumerable<(object Key, object? Value)> Items(Hashtable dict) =>
        dict is PickledOrderedDict ordered
            ? ordered.OrderedItems.Select(kv => (kv.Key, kv.Value))
            : dict.Keys.Cast<object>().OrderBy(k => k.ToString(), StringComparer.Ordinal).Select(k => (k, dict[k]));

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickledModule m => $"a {m.ClassName}",
        _ => $"a {value.GetType().Name}",
    };
}
