using Vdsr.Core.Checkpoints;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Evaluation;

/// <summary>The recovered 0.5-pruned model shipped in models/ keeps the quality measured when it was made.</summary>
public sealed class ShippedPrunedModelTests
{
    private static string PrunedPath => TestPaths.InRepo("models", "vdsr_pruned_0.5.safetensors");

    [Fact]
    public void IsTheL1PrunedNetworkAtHalfTheFilters()
    {
        var state = CheckpointFile.Load(PrunedPath);
        var architecture = ModelStore.ArchitectureOf(state, PrunedPath);
        Assert.Equal(20, architecture.Depth);
        Assert.All(architecture.HiddenWidths, w => Assert.Equal(32, w));
        Assert.Equal(166_464, architecture.ParameterCount);
        Assert.Equal("l1", state.Metadata["pruning.method"]);
    }

    [Fact]
    public void BundledSet5GivesItsPinnedAverages()
    {
        using var net = ModelStore.LoadNet(PrunedPath);
        var report = new Evaluator(new Upscaler(net, CPU)).Run(new EvalDataset(TestPaths.InRepo("Set5"), [2, 3, 4], cumulativeModCrop: true));
        // Cumulative crops, as the original's .mat files: the same averages as vdsr-eval on Set5_mat.
        Assert.Equal([37.2027, 33.3772, 31.0883], report.Scales.Select(s => Math.Round(s.PsnrVdsr, 4)));
    }
}
