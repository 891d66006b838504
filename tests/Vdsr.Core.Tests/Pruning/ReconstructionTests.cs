using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;
using Vdsr.Core.Runtime;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Pruning;

public class ReconstructionTests
{
    private static readonly VdsrArchitecture Small = VdsrArchitecture.Uniform(5, 8);

    public ReconstructionTests() => TorchRuntime.EnsureInitialized();

    private static float[] Patches(int count, int size, int seed)
    {
        var random = new Random(seed);
        var data = new float[count * size * size];
        for (int i = 0; i < data.Length; i++) data[i] = (float)random.NextDouble();
        return data;
    }

    /// <summary>
    /// With nothing pruned every layer's least-squares problem has an exact solution, the original
    /// weights (up to the weights of channels that no sample activates), so the refit network must
    /// compute what the original computes: this pins the im2col column order against the weight layout.
    /// </summary>
    [Fact]
    public void WithNothingPrunedTheRefitNetworkEqualsTheOriginal()
    {
        var state = CraftedWeights.Random(Small, seed: 8);
        var unpruned = Pruner.Prune(state, new PruningSettings { Config = PruneConfig.Uniform(0.0) }, "crafted");
        var refit = Reconstruction.Refit(state, unpruned, Patches(24, 16, 1), 24, 16);
        var first = state["input.weight"].Data.Zip(refit["input.weight"].Data, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(first < 1e-5, $"input conv: max |diff| {first}");

        using var _ = no_grad();
        using var original = ModelStore.ToNet(state, "original");
        using var again = ModelStore.ToNet(refit, "refit");
        using var heldOut = tensor(Patches(24, 16, 1), [24, 1, 16, 16]);
        using var a = original.forward(heldOut);
        using var b = again.forward(heldOut);
        double diff = (a - b).abs().max().item<float>();
        Assert.True(diff < 1e-4, $"max |diff| of outputs {diff}");
    }

    [Fact]
    public void RefitBringsThePrunedOutputCloserToTheOriginal()
    {
        var state = CraftedWeights.Random(Small, seed: 9);
        var pruned = Pruner.Prune(state, new PruningSettings(), "crafted");
        var refit = Reconstruction.Refit(state, pruned, Patches(32, 16, 2), 32, 16);
        Assert.Equal(pruned.Architecture, ModelStore.ArchitectureOf(refit, "refit"));

        using var _ = no_grad();
        using var original = ModelStore.ToNet(state, "original");
        using var before = ModelStore.ToNet(pruned.Weights, "pruned");
        using var after = ModelStore.ToNet(refit, "refit");
        using var heldOut = tensor(Patches(8, 16, 3), [8, 1, 16, 16]);
        using var target = original.forward(heldOut);
        double Error(VdsrNet net) { using var y = net.forward(heldOut); return (y - target).square().mean().item<float>(); }
        double errBefore = Error(before), errAfter = Error(after);
        Assert.True(errAfter < 0.5 * errBefore, $"mse before {errBefore}, after {errAfter}");
    }

    [Fact]
    public void RefusesLevelPruning()
    {
        var state = CraftedWeights.Random(Small, seed: 1);
        var level = Pruner.Prune(state, new PruningSettings { Method = PruningMethod.Level }, "crafted");
        Assert.Throws<VdsrUserException>(() => Reconstruction.Refit(state, level, Patches(2, 8, 1), 2, 8));
    }
}
