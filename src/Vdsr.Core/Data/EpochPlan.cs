namespace Vdsr.Core.Data;

/// <summary>
/// The order of one epoch over a file read in blocks (normally its chunks): the blocks are
/// shuffled, consecutive groups of them form windows, and the patches of each window are shuffled
/// among themselves. Every patch comes exactly once; the order depends only on (seed, epoch).
/// </summary>
internal sealed class EpochPlan
{
    private readonly long _seed;
    private readonly int _epoch;
    private readonly long _patchCount;
    private readonly int _blockPatches;
    private readonly int[] _blockOrder;

    public int BlocksPerWindow { get; }
    public int WindowCount => (_blockOrder.Length + BlocksPerWindow - 1) / BlocksPerWindow;

    public EpochPlan(long seed, int epoch, long patchCount, int blockPatches, int windowPatches)
    {
        _seed = seed;
        _epoch = epoch;
        _patchCount = patchCount;
        _blockPatches = blockPatches;
        int blockCount = checked((int)((patchCount + blockPatches - 1) / blockPatches));
        BlocksPerWindow = Math.Max(1, windowPatches / blockPatches);
        _blockOrder = Enumerable.Range(0, blockCount).ToArray();
        SplitMix64.Derive(seed, epoch, 0xB10C).Shuffle(_blockOrder.AsSpan());
    }

    /// <summary>The file ranges (first patch, count) of a window's blocks, in window order.</summary>
    public (long Start, int Count)[] Blocks(int window)
    {
        int first = window * BlocksPerWindow;
        int n = Math.Min(BlocksPerWindow, _blockOrder.Length - first);
        var result = new (long, int)[n];
        for (int i = 0; i < n; i++)
        {
            long start = (long)_blockOrder[first + i] * _blockPatches;
            result[i] = (start, (int)Math.Min(_blockPatches, _patchCount - start));
        }
        return result;
    }

    public int WindowSize(int window) => Blocks(window).Sum(b => b.Count);

    /// <summary>slot[j] = where the window's j-th patch (blocks concatenated) goes in the epoch's order.</summary>
    public int[] Slots(int window)
    {
        var order = Enumerable.Range(0, WindowSize(window)).ToArray();
        SplitMix64.Derive(_seed, _epoch, 0x5107, window).Shuffle(order.AsSpan());
        var slots = new int[order.Length];
        for (int k = 0; k < order.Length; k++) slots[order[k]] = k;
        return slots;
    }

    /// <summary>The whole epoch as file indices (for tests and checks; O(patch count)).</summary>
    public long[] Order()
    {
        var result = new long[_patchCount];
        long offset = 0;
        for (int w = 0; w < WindowCount; w++)
        {
            var slots = Slots(w);
            int j = 0;
            foreach (var (start, count) in Blocks(w))
                for (int i = 0; i < count; i++)
                    result[offset + slots[j++]] = start + i;
            offset += slots.Length;
        }
        return result;
    }
}
