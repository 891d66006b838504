using Vdsr.Core.Tests.Checkpoints;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>
/// Hand-assembled legacy torch.save files holding a state_dict of float tensors, with every field
/// that torch would keep consistent (view size, stride, offset, storage size, the count before the
/// raw data) set separately, so that a test can make any one of them lie.
/// </summary>
internal sealed class LegacyCheckpointBytes
{
    public sealed record Tensor(string Name, string StorageKey, long[] Size, long[] Stride, long Offset = 0);

    public sealed record Storage(string Key, long DeclaredElements, long WrittenCount, int WrittenElements);

    public static byte[] Build(IReadOnlyList<Tensor> tensors, IReadOnlyList<Storage> storages)
    {
        var main = new PickleBytes().Global("collections", "OrderedDict").EmptyTuple().Reduce();
        foreach (var t in tensors)
        {
            var storage = storages.First(s => s.Key == t.StorageKey);
            main.Text(t.Name).Global("torch._utils", "_rebuild_tensor_v2").Mark()
                .Mark().Text("storage").Global("torch", "FloatStorage").Text(storage.Key).Text("cpu").Long(storage.DeclaredElements).None().Tuple().BinPersId()
                .Long(t.Offset).Ints(t.Size).Ints(t.Stride).False().Global("collections", "OrderedDict").EmptyTuple().Reduce()
                .Tuple().Reduce().SetItem();
        }
        var keys = new PickleBytes().EmptyList().Mark();
        foreach (var s in storages) keys.Text(s.Key);

        var file = new List<byte>([.. PickleBytes.LegacyPreamble(), .. main.Stop(), .. keys.Appends().Stop()]);
        foreach (var s in storages)
        {
            file.AddRange(BitConverter.GetBytes(s.WrittenCount));
            for (int i = 0; i < s.WrittenElements; i++) file.AddRange(BitConverter.GetBytes(0.25f * i));
        }
        return file.ToArray();
    }

    /// <summary>One tensor of <paramref name="size"/> (row-major) over a storage that holds exactly its elements.</summary>
    public static byte[] Consistent(string name, long[] size)
    {
        long count = size.Aggregate(1L, (a, b) => a * b);
        return Build([new Tensor(name, "0", size, RowMajorStrides(size))], [new Storage("0", count, count, (int)count)]);
    }

    public static long[] RowMajorStrides(long[] size)
    {
        var stride = new long[size.Length];
        long step = 1;
        for (int d = size.Length - 1; d >= 0; d--)
        {
            stride[d] = step;
            step *= size[d];
        }
        return stride;
    }
}
