namespace Vdsr.Core.Data;

/// <summary>
/// Patch pairs held in memory (given directly or cut from images), served in an order shuffled
/// deterministically from (seed, epoch). For tests, benchmarks and small runs.
/// </summary>
public sealed class InMemoryPatchSource : IPatchBatchSource
{
    private readonly float[] _inputs;
    private readonly float[] _labels;
    private readonly long _seed;

    public int PatchSize { get; }
    public long PatchCount { get; }

    /// <summary><paramref name="inputs"/> and <paramref name="labels"/> are [count, 1, size, size] row-major.</summary>
    public InMemoryPatchSource(float[] inputs, float[] labels, int patchSize, long seed)
    {
        if (patchSize < 1) throw new ArgumentOutOfRangeException(nameof(patchSize));
        long area = (long)patchSize * patchSize;
        if (inputs.Length != labels.Length || inputs.Length == 0 || inputs.Length % area != 0)
            throw new ArgumentException($"inputs ({inputs.Length}) and labels ({labels.Length}) must hold the same whole, non-zero number of {patchSize}x{patchSize} patches");
        _inputs = inputs;
        _labels = labels;
        _seed = seed;
        PatchSize = patchSize;
        PatchCount = inputs.Length / area;
    }

    /// <summary>
    /// Cuts every <paramref name="patchSize"/> square at <paramref name="stride"/> from a pair of
    /// aligned single-channel images (row-major, <paramref name="width"/> x <paramref name="height"/>).
    /// </summary>
    public static InMemoryPatchSource Cut(float[] input, float[] label, int width, int height, int patchSize, int stride, long seed)
    {
        if (input.Length != (long)width * height || label.Length != input.Length)
            throw new ArgumentException($"both images must hold {width}x{height} values");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride));
        var corners = new List<(int X, int Y)>();
        for (int y = 0; y + patchSize <= height; y += stride)
            for (int x = 0; x + patchSize <= width; x += stride)
                corners.Add((x, y));
        if (corners.Count == 0) throw new ArgumentException($"a {width}x{height} image holds no {patchSize}x{patchSize} patch");
        int area = patchSize * patchSize;
        var ins = new float[corners.Count * area];
        var labs = new float[corners.Count * area];
        for (int i = 0; i < corners.Count; i++)
            for (int r = 0; r < patchSize; r++)
            {
                int from = (corners[i].Y + r) * width + corners[i].X;
                Array.Copy(input, from, ins, i * area + r * patchSize, patchSize);
                Array.Copy(label, from, labs, i * area + r * patchSize, patchSize);
            }
        return new InMemoryPatchSource(ins, labs, patchSize, seed);
    }

    /// <summary>The patch indices of an epoch in the order they are served.</summary>
    public int[] EpochOrder(int epoch)
    {
        var order = Enumerable.Range(0, checked((int)PatchCount)).ToArray();
        SplitMix64.Derive(_seed, epoch).Shuffle(order.AsSpan());
        return order;
    }

    public IEnumerable<PatchBatch> Epoch(int epoch, int batchSize, long skipBatches = 0, CancellationToken cancellationToken = default)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        var order = EpochOrder(epoch);
        int area = PatchSize * PatchSize;
        for (long start = skipBatches * batchSize; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = (int)Math.Min(batchSize, order.Length - start);
            var ins = new float[count * area];
            var labs = new float[count * area];
            for (int k = 0; k < count; k++)
            {
                int p = order[start + k];
                Array.Copy(_inputs, (long)p * area, ins, (long)k * area, area);
                Array.Copy(_labels, (long)p * area, labs, (long)k * area, area);
            }
            yield return new PatchBatch(ins, labs, count, PatchSize);
        }
    }

    public void Dispose() { }
}
