namespace Vdsr.Core.Checkpoints;

/// <summary>A float32 tensor held in managed memory, row-major (C order), independent of libtorch.</summary>
public sealed class TensorData
{
    public long[] Shape { get; }
    public float[] Data { get; }

    public TensorData(long[] shape, float[] data)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {count} elements but {data.Length} were given");
        Shape = shape;
        Data = data;
    }

    public long ElementCount => Data.Length;

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
