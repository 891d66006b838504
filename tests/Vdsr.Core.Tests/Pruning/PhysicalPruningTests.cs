using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;
using Vdsr.Core.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Pruning;

/// <summary>The shrunk network computes exactly what the unpruned one computes with the removed filters zeroed.</summary>
public class PhysicalPruningTests
{
    private readonly ITestOutputHelper _output;

    public PhysicalPruningTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureInitialized();
    }

    private static readonly Lazy<StateDict> Pretrained = new(() => CheckpointFile.Load(TestPaths.InRepo("models", "model_epoch_50.pth")));

    [Theory]
    [InlineData(PruningMethod.L1)]
    [InlineData(PruningMethod.L2)]
    [InlineData(PruningMethod.Fpgm)]
    public void ShrunkNetworkEqualsMaskedNetwork(PruningMethod method)
    {
        var state = Pretrained.Value;
        var result = Pruner.Prune(state, new PruningSettings { Method = method }, "pretrained");
        Assert.Equal(166_464, result.Architecture.ParameterCount);
        var kept = result.Layers.Select(l => l.KeptFilters).ToArray();
        var masked = FilterShrinking.Mask(state, VdsrArchitecture.Original, kept);

        using var shrunkNet = ModelStore.ToNet(result.Weights, "shrunk");
        using var maskedNet = ModelStore.ToNet(masked, "masked");
        using var _ = no_grad();
        using var input = rand(2, 1, 40, 36, generator: new Generator(7));
        using var a = shrunkNet.forward(input);
        using var b = maskedNet.forward(input);
        double diff = (a - b).abs().max().item<float>();
        _output.WriteLine($"{method}: max |shrunk - masked| = {diff:E2}");
        Assert.True(diff <= 1e-5, $"max |diff| {diff}");
        // and pruning changed the output: the masking is not a no-op
        using var full = ModelStore.ToNet(state, "full");
        using var c = full.forward(input);
        Assert.True((a - c).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void DifferentCriteriaChooseDifferentFilters()
    {
        var l1 = Pruner.Prune(Pretrained.Value, new PruningSettings { Method = PruningMethod.L1 }, "p");
        var fpgm = Pruner.Prune(Pretrained.Value, new PruningSettings { Method = PruningMethod.Fpgm }, "p");
        Assert.Contains(Enumerable.Range(0, 19), l => !l1.Layers[l].KeptFilters.SequenceEqual(fpgm.Layers[l].KeptFilters));
    }

    [Fact]
    public void ShrinkKeepsTheMatchingInputChannels()
    {
        var arch = VdsrArchitecture.Uniform(3, 4);
        var state = CraftedWeights.Random(arch, seed: 11);
        IReadOnlyList<int>[] kept = [[1, 3], [0, 2, 3], [0]];
        var shrunk = FilterShrinking.Shrink(state, arch, kept);
        var before = state["residual_layer.0.conv.weight"].Data;
        var after = shrunk["residual_layer.0.conv.weight"].Data;
        Assert.Equal(new long[] { 3, 2, 3, 3 }, shrunk["residual_layer.0.conv.weight"].Shape);
        // new [o=1 (old 2), i=1 (old 3)] tap 4 == old [2, 3] tap 4
        Assert.Equal(before[(2 * 4 + 3) * 9 + 4], after[(1 * 2 + 1) * 9 + 4]);
        Assert.Equal(new long[] { 1, 3, 3, 3 }, shrunk["output.weight"].Shape);
    }
}
