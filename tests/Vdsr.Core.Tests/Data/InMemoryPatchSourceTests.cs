using Vdsr.Core.Data;

namespace Vdsr.Core.Tests.Data;

public class InMemoryPatchSourceTests
{
    private static InMemoryPatchSource Source(int patches, long seed)
    {
        // Patch k holds the value k everywhere (labels: k + 0.5), so the order can be read back.
        var ins = Enumerable.Range(0, patches).SelectMany(k => Enumerable.Repeat((float)k, 4)).ToArray();
        var labs = ins.Select(v => v + 0.5f).ToArray();
        return new InMemoryPatchSource(ins, labs, 2, seed);
    }

    [Fact]
    public void EpochIsAShuffledPermutationFixedBySeedAndEpoch()
    {
        using var a = Source(10, 5);
        using var b = Source(10, 5);
        Assert.Equal(a.EpochOrder(1), b.EpochOrder(1));
        Assert.NotEqual(a.EpochOrder(1), a.EpochOrder(2));
        Assert.NotEqual(a.EpochOrder(1), Source(10, 6).EpochOrder(1));
        Assert.Equal(Enumerable.Range(0, 10), a.EpochOrder(3).Order());
    }

    [Fact]
    public void BatchesFollowTheOrderAndSkipResumes()
    {
        using var s = Source(10, 5);
        var order = s.EpochOrder(2);
        var batches = s.Epoch(2, 4).ToArray();
        Assert.Equal([4, 4, 2], batches.Select(b => b.Count));
        Assert.Equal(3, ((IPatchBatchSource)s).BatchesPerEpoch(4));
        var served = batches.SelectMany(b => Enumerable.Range(0, b.Count).Select(i => (int)b.Inputs[i * 4])).ToArray();
        Assert.Equal(order, served);
        Assert.All(batches, b => Assert.Equal(b.Inputs.Select(v => v + 0.5f), b.Labels));
        var skipped = s.Epoch(2, 4, skipBatches: 2).Single();
        Assert.Equal(batches[2].Inputs, skipped.Inputs);
    }

    [Fact]
    public void CutTakesAlignedSquares()
    {
        var img = Enumerable.Range(0, 5 * 4).Select(i => (float)i).ToArray(); // 5 wide, 4 high
        using var s = InMemoryPatchSource.Cut(img, img, 5, 4, 2, 2, seed: 0);
        Assert.Equal(4, s.PatchCount); // corners (0,0) (2,0) (0,2) (2,2)
        var all = s.Epoch(1, 100).Single();
        var firstValues = Enumerable.Range(0, 4).Select(i => all.Inputs[i * 4]).Order();
        Assert.Equal(new float[] { 0, 2, 10, 12 }, firstValues);
    }
}
