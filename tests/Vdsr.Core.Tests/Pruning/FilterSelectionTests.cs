using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;

namespace Vdsr.Core.Tests.Pruning;

/// <summary>Filter metrics and NNI's allocation rule on weights whose ranking is known by construction.</summary>
public class FilterSelectionTests
{
    private static readonly VdsrArchitecture Small = VdsrArchitecture.Uniform(4, 8);

    /// <summary>Layer 1's filter f has every weight equal to <paramref name="values"/>[f].</summary>
    private static StateDict WithFilterValues(params float[] values)
    {
        var state = CraftedWeights.Random(Small, seed: 1);
        for (int f = 0; f < values.Length; f++) CraftedWeights.FillFilter(state, Small, 1, f, values[f]);
        return state;
    }

    [Fact]
    public void L1RemovesTheIntSparsityTimesFiltersSmallestNorms()
    {
        // |w| per filter: 0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.6 (signs must not matter for L1)
        var state = WithFilterValues(0.5f, -0.1f, 0.9f, 0.3f, -0.7f, 0.2f, 0.8f, -0.6f);
        var config = new PruneConfig([new PruneRule { SparsityPerLayer = 0.4, OpNames = ["residual_layer.0.conv"] }]);
        var result = Pruner.Prune(state, new PruningSettings { Config = config }, "crafted");
        // int(0.4 * 8) = 3 removed: filters 1 (0.1), 5 (0.2), 3 (0.3)
        Assert.Equal(new[] { 0, 2, 4, 6, 7 }, result.Layers[1].KeptFilters);
        Assert.Equal(Enumerable.Range(0, 8), result.Layers[0].KeptFilters); // not selected
        Assert.Equal(new[] { 8, 5, 8 }, result.Architecture.HiddenWidths);
    }

    [Fact]
    public void L2AndFpgmRankAsTheirDefinitions()
    {
        // Two weights per filter make the norms differ between L1 and L2: (3,4) has L1 7, L2 5; (5,0) has L1 5, L2 5; (1,6) L1 7, L2 6.08
        float[] weight = [3, 4, 5, 0, 1, 6, 0, 0.5f];
        Assert.Equal(new[] { 7.0, 5.0, 7.0, 0.5 }, FilterMetrics.Compute(PruningMethod.L1, weight, 4));
        var l2 = FilterMetrics.Compute(PruningMethod.L2, weight, 4);
        Assert.Equal(new[] { 5.0, 5.0, Math.Sqrt(37), 0.5 }, l2, (a, b) => Math.Abs(a - b) < 1e-12);
        var fpgm = FilterMetrics.Compute(PruningMethod.Fpgm, weight, 4);
        double D(float[] a, float[] b) => Math.Sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]));
        float[][] f = [[3, 4], [5, 0], [1, 6], [0, 0.5f]];
        for (int i = 0; i < 4; i++)
            Assert.Equal(Enumerable.Range(0, 4).Sum(j => D(f[i], f[j])), fpgm[i], 1e-9);
    }

    [Fact]
    public void FpgmRemovesTheFilterNearestTheOthers()
    {
        // Filters at 0, 1, 2 and 10 (all weights equal): the middle ones have the smallest summed distance.
        var state = WithFilterValues(0f, 0.01f, 0.02f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f);
        var config = new PruneConfig([new PruneRule { SparsityPerLayer = 0.25, OpNames = ["residual_layer.0.conv"] }]);
        var result = Pruner.Prune(state, new PruningSettings { Method = PruningMethod.Fpgm, Config = config }, "crafted");
        // int(0.25 * 8) = 2 removed; the five equal filters at 0.1 are nearest everything (sum 0.1+0.09+0.08 = 0.27 vs 0.6 / 0.55 / 0.5)
        // and tie: the lower indices of the tie go first (documented rule).
        Assert.Equal(new[] { 0, 1, 2, 5, 6, 7 }, result.Layers[1].KeptFilters);
    }

    [Fact]
    public void TiesRemoveExactlyTheCountLowerIndexFirst()
    {
        var removed = SparsityAllocator.PerLayer([1, 1, 1, 1, 2, 0.5], 0.5);
        // int(0.5 * 6) = 3: 0.5 (index 5), then the tied 1s at indices 0 and 1.
        Assert.Equal(new[] { true, true, false, false, false, true }, removed);
        Assert.All(SparsityAllocator.PerLayer([3, 1, 2], 0.3), r => Assert.False(r)); // int(0.9) = 0
    }

    [Fact]
    public void OutputConvKeepsItsSingleFilterAndHalfSparsityGivesThePublishedShape()
    {
        var state = CraftedWeights.Random(VdsrArchitecture.Original, seed: 3);
        var result = Pruner.Prune(state, new PruningSettings(), "random");
        Assert.Equal(Enumerable.Repeat(32, 19), result.Architecture.HiddenWidths);
        Assert.Equal(166_464, result.Architecture.ParameterCount);
        Assert.Equal(new long[] { 1, 32, 3, 3 }, result.Weights["output.weight"].Shape);
        Assert.Equal(new long[] { 32, 1, 3, 3 }, result.Weights["input.weight"].Shape);
    }

    [Fact]
    public void TotalSparsityRanksAcrossLayersByWeightCount()
    {
        // Layer 1 filters carry 8x9 = 72 weights each. Give layer 1 tiny filters and layer 2 large ones:
        // a total of 25% of the two layers' 1152 weights = 288 weights = 4 filters, all from layer 1.
        var state = CraftedWeights.Random(Small, seed: 5);
        for (int f = 0; f < 8; f++)
        {
            CraftedWeights.FillFilter(state, Small, 1, f, 0.001f * (f + 1));
            CraftedWeights.FillFilter(state, Small, 2, f, 1f + f);
        }
        var config = new PruneConfig([new PruneRule { TotalSparsity = 0.25, OpNames = ["residual_layer.0.conv", "residual_layer.1.conv"] }]);
        var result = Pruner.Prune(state, new PruningSettings { Config = config }, "crafted");
        Assert.Equal(new[] { 4, 5, 6, 7 }, result.Layers[1].KeptFilters);
        Assert.Equal(8, result.Layers[2].KeptFilters.Count);
    }

    [Fact]
    public void TotalSparsityLeavesEveryLayerOneFilterByDefault()
    {
        var state = CraftedWeights.Random(Small, seed: 5);
        for (int f = 0; f < 8; f++) CraftedWeights.FillFilter(state, Small, 1, f, 0.001f);
        var config = new PruneConfig([new PruneRule { TotalSparsity = 0.6, OpTypes = ["Conv2d"] }]);
        var result = Pruner.Prune(state, new PruningSettings { Config = config }, "crafted");
        Assert.All(result.Layers, l => Assert.NotEmpty(l.KeptFilters));
        Assert.Single(result.Layers[1].KeptFilters); // max_sparsity_per_layer 0.99 keeps ceil(0.01 x 8) = 1
    }
}
