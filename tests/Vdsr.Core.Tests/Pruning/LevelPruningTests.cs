using Vdsr.Core.Model;
using Vdsr.Core.Pruning;

namespace Vdsr.Core.Tests.Pruning;

public class LevelPruningTests
{
    private static readonly VdsrArchitecture Small = VdsrArchitecture.Uniform(3, 4);

    [Fact]
    public void ZeroesTheSmallestMagnitudesOfEachLayerAndKeepsShapes()
    {
        var state = CraftedWeights.Random(Small, seed: 2);
        var result = Pruner.Prune(state, new PruningSettings { Method = PruningMethod.Level, Config = PruneConfig.Uniform(0.5) }, "crafted");
        Assert.Equal(Small, result.Architecture);
        for (int layer = 0; layer < Small.Depth; layer++)
        {
            var before = state[Small.LayerName(layer)].Data;
            var after = result.Weights[Small.LayerName(layer)].Data;
            int zeroed = after.Count(v => v == 0);
            Assert.Equal(before.Length / 2, zeroed); // int(0.5 * numel)
            float largestRemoved = before.Where((v, i) => after[i] == 0).Max(Math.Abs);
            float smallestKept = before.Where((v, i) => after[i] != 0).Min(Math.Abs);
            Assert.True(largestRemoved <= smallestKept);
            Assert.All(Enumerable.Range(0, before.Length).Where(i => after[i] != 0), i => Assert.Equal(before[i], after[i]));
        }
        Assert.Equal(Small.ParameterCount - Enumerable.Range(0, Small.Depth).Sum(l => Small.WeightShape(l).Aggregate(1L, (a, b) => a * b) / 2),
            result.NonZeroParameters);
    }

    [Fact]
    public void BalanceModePrunesEveryBlockAlike()
    {
        var state = CraftedWeights.Random(Small, seed: 4);
        var settings = new PruningSettings { Method = PruningMethod.Level, Config = PruneConfig.Uniform(0.34), Mode = PruningSettings.BalanceMode, BalanceGranularity = [3] };
        var result = Pruner.Prune(state, settings, "crafted");
        var after = result.Weights["residual_layer.0.conv.weight"].Data;
        // blocks of 3 along the last dimension (each kernel row): int(0.34 * 3) = 1 zero per row
        for (int row = 0; row < after.Length / 3; row++)
            Assert.Equal(1, after.Skip(row * 3).Take(3).Count(v => v == 0));
    }

    [Fact]
    public void BalanceGranularityMustDivideTheShape()
    {
        var settings = new PruningSettings { Method = PruningMethod.Level, Mode = PruningSettings.BalanceMode, BalanceGranularity = [2] };
        var e = Assert.Throws<VdsrUserException>(() => Pruner.Prune(CraftedWeights.Random(Small, 1), settings, "crafted"));
        Assert.Contains("does not divide", e.Message);
    }
}
