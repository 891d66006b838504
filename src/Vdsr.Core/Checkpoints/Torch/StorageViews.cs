namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>Copies a strided tensor view out of its storage into a row-major <see cref="TensorData"/>.</summary>
internal static class StorageViews
{
    public static TensorData Materialize(string name, TensorRef view, float[] storage)
    {
        if (view.Size.Any(s => s < 0) || view.Stride.Any(s => s < 0) || view.Offset < 0)
            throw new InvalidDataException($"tensor '{name}' has a negative size, stride or offset");
        long count = view.Size.Aggregate(1L, (a, b) => a * b);
        var data = new float[count];
        if (count == 0) return new TensorData(view.Size, data);
        long last = view.Offset + view.Size.Zip(view.Stride, (s, st) => (s - 1) * st).Sum();
        if (last >= storage.Length)
            throw new InvalidDataException($"tensor '{name}' {Shape(view.Size)} reaches element {last} of storage '{view.Storage.Key}', which holds {storage.Length}");

        if (IsRowMajor(view.Size, view.Stride))
        {
            Array.Copy(storage, view.Offset, data, 0, count);
            return new TensorData(view.Size, data);
        }
        var index = new long[view.Size.Length];
        for (long i = 0; i < count; i++)
        {
            long src = view.Offset;
            for (int d = 0; d < index.Length; d++) src += index[d] * view.Stride[d];
            data[i] = storage[src];
            for (int d = index.Length - 1; d >= 0 && ++index[d] == view.Size[d]; d--) index[d] = 0;
        }
        return new TensorData(view.Size, data);
    }

    private static bool IsRowMajor(long[] size, long[] stride)
    {
        long expected = 1;
        for (int d = size.Length - 1; d >= 0; d--)
        {
            if (size[d] != 1 && stride[d] != expected) return false;
            expected *= size[d];
        }
        return true;
    }

    private static string Shape(long[] size) => "[" + string.Join(", ", size) + "]";
}
