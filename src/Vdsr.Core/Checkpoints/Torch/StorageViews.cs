namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>Copies a strided tensor view out of its storage into a row-major <see cref="TensorData"/>.</summary>
internal static class StorageViews
{
    public static TensorData Materialize(string name, TensorRef view, float[] storage)
    {
        if (view.Size.Any(s => s < 0) || view.Stride.Any(s => s < 0) || view.Offset < 0)
            throw new InvalidDataException($"tensor '{name}' has a negative size, stride or offset");
        if (view.Size.Contains(0)) return new TensorData(view.Size, []);
        // Checked before anything is allocated: the sizes come from the file. A checkpoint's tensors
        // never repeat elements (stride 0), so a tensor never holds more elements than its storage.
        long count = 1;
        foreach (long size in view.Size)
        {
            if (count > storage.Length / size)
                throw new InvalidDataException($"tensor '{name}' {Shape(view.Size)} holds more elements than storage '{view.Storage.Key}' ({storage.Length})");
            count *= size;
        }
        long last = view.Offset;
        for (int d = 0; d < view.Size.Length && last < storage.Length; d++)
            if (view.Size[d] > 1)
                last = view.Stride[d] > storage.Length ? long.MaxValue : last + (view.Size[d] - 1) * view.Stride[d];
        if (last >= storage.Length)
            throw new InvalidDataException($"tensor '{name}' {Shape(view.Size)} reaches beyond the {storage.Length} elements of storage '{view.Storage.Key}'");
        var data = new float[count];

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
