using System.Collections.Concurrent;
using Vdsr.Core.Model.Winograd;

namespace Vdsr.Core.Tests.Model;

/// <summary><see cref="BlockRanges"/> hands out every block exactly once, each worker's own range first.</summary>
public class BlockRangesTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(2, 2)]
    [InlineData(229, 3)]
    [InlineData(5, 4)]
    public void EveryBlockOnceWhenOneWorkerDrainsAllRanges(int blocks, int ranges)
    {
        var cursors = new BlockRanges(blocks, ranges);
        var taken = new List<int>();
        for (int r = 0; r < cursors.Count; r++)
        {
            int block;
            while ((block = cursors.Next(r)) >= 0) taken.Add(block);
        }
        Assert.Equal(Enumerable.Range(0, blocks), taken); // ranges are contiguous and in order
    }

    [Fact]
    public void RangesSplitTheBlocksEvenly()
    {
        var cursors = new BlockRanges(10, 3);
        var sizes = Enumerable.Range(0, 3).Select(r =>
        {
            int count = 0;
            while (cursors.Next(r) >= 0) count++;
            return count;
        }).ToArray();
        Assert.Equal([3, 3, 4], sizes);
    }

    [Fact]
    public void ConcurrentWorkersTakeEveryBlockExactlyOnce()
    {
        const int blocks = 20_000, workers = 4;
        var cursors = new BlockRanges(blocks, workers);
        var taken = new ConcurrentBag<int>();
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, own =>
        {
            for (int k = 0; k < workers; k++)
            {
                int block;
                while ((block = cursors.Next((own + k) % workers)) >= 0) taken.Add(block);
            }
        });
        Assert.Equal(Enumerable.Range(0, blocks), taken.OrderBy(b => b));
    }
}
