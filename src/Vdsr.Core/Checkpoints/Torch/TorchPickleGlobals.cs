using System.Collections;
using System.Numerics;
using Razorvine.Pickle;

namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>
/// The only Python globals a VDSR checkpoint may name, and the managed stand-ins the unpickler
/// builds for them. Anything else is rejected before unpickling starts (see <see cref="PickleGlobalGuard"/>).
/// </summary>
internal static class TorchPickleGlobals
{
    private static readonly Dictionary<string, IObjectConstructor> Constructors = new(StringComparer.Ordinal)
    {
        // The model classes of the original scripts and the torch.nn modules they contain.
        ["vdsr.Net"] = new ModuleConstructor("vdsr.Net"),
        ["vdsr.Conv_ReLU_Block"] = new ModuleConstructor("vdsr.Conv_ReLU_Block"),
        ["torch.nn.modules.container.Sequential"] = new ModuleConstructor("torch.nn.modules.container.Sequential"),
        ["torch.nn.modules.conv.Conv2d"] = new ModuleConstructor("torch.nn.modules.conv.Conv2d"),
        ["torch.nn.modules.activation.ReLU"] = new ModuleConstructor("torch.nn.modules.activation.ReLU"),
        ["torch.nn.backends.thnn._get_thnn_function_backend"] = new ThnnBackendConstructor(),
        ["collections.OrderedDict"] = new OrderedDictConstructor(),
        ["torch.nn.parameter.Parameter"] = new ParameterConstructor(),
        ["torch._utils._rebuild_parameter"] = new ParameterConstructor(),
        ["torch._utils._rebuild_tensor"] = new RebuildTensorConstructor(),
        ["torch._utils._rebuild_tensor_v2"] = new RebuildTensorConstructor(),
        ["torch.FloatStorage"] = new StorageTypeConstructor("torch.FloatStorage"),
        // Module.__dict__ of torch >= 1.6 holds `_non_persistent_buffers_set = set()`.
        ["__builtin__.set"] = new EmptySetConstructor(),
    };

    private static readonly object Gate = new();
    private static bool _registered;

    public static bool IsAllowed(string module, string name) => Constructors.ContainsKey(module + "." + name);

    /// <summary>Installs the constructors in the unpickler's (process-wide) registry once.</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered) return;
            foreach (var (qualified, constructor) in Constructors)
            {
                int dot = qualified.LastIndexOf('.');
                Unpickler.registerConstructor(qualified[..dot], qualified[(dot + 1)..], constructor);
            }
            _registered = true;
        }
    }

    public static long ToInt64(object? value, string what) => value switch
    {
        int i => i,
        long l => l,
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        _ => throw new InvalidDataException($"{what} is not an integer ({value ?? "None"})"),
    };

    public static long[] ToInt64Array(object? value, string what) => value switch
    {
        object[] tuple => tuple.Select(v => ToInt64(v, what)).ToArray(),
        _ => throw new InvalidDataException($"{what} is not a tuple of integers"),
    };

    private sealed class ModuleConstructor(string className) : IObjectConstructor
    {
        public object construct(object[] args) => new PickledModule(className);
    }

    private sealed class ThnnBackendConstructor : IObjectConstructor
    {
        public object construct(object[] args) => "thnn";
    }

    private sealed class EmptySetConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new HashSet<object>();
    }

    private sealed class OrderedDictConstructor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            var dict = new PickledOrderedDict();
            if (args.Length == 0) return dict;
            if (args.Length != 1 || args[0] is not IEnumerable pairs)
                throw new InvalidDataException("OrderedDict takes one list of (key, value) pairs");
            foreach (var pair in pairs)
            {
                var kv = pair switch
                {
                    object[] t when t.Length == 2 => t,
                    ArrayList l when l.Count == 2 => l.ToArray(),
                    _ => throw new InvalidDataException("OrderedDict item is not a (key, value) pair"),
                };
                dict[kv[0] ?? throw new InvalidDataException("OrderedDict key is None")] = kv[1];
            }
            return dict;
        }
    }

    private sealed class ParameterConstructor : IObjectConstructor
    {
        public object construct(object[] args) =>
            args.Length >= 1 && args[0] is TensorRef tensor
                ? new PickledParameter(tensor)
                : throw new InvalidDataException("Parameter does not wrap a tensor");
    }

    private sealed class RebuildTensorConstructor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args.Length < 4 || args[0] is not StorageRef storage)
                throw new InvalidDataException("tensor record does not name a storage");
            var size = ToInt64Array(args[2], "tensor size");
            var stride = ToInt64Array(args[3], "tensor stride");
            if (size.Length != stride.Length)
                throw new InvalidDataException($"tensor of storage '{storage.Key}' has {size.Length} sizes but {stride.Length} strides");
            return new TensorRef(storage, ToInt64(args[1], "storage offset"), size, stride);
        }
    }

    private sealed class StorageTypeConstructor(string name) : IObjectConstructor
    {
        public string Name => name;

        public object construct(object[] args) =>
            throw new InvalidDataException($"'{name}' may only appear in a storage reference");
    }

    /// <summary>The storage class named by a persistent id, e.g. `torch.FloatStorage`.</summary>
    public static string StorageTypeName(object? storageType) =>
        storageType is StorageTypeConstructor s ? s.Name : throw new InvalidDataException("storage reference does not name a storage type");
}
