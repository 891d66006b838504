using Vdsr.Core.Training;

namespace Vdsr.Cli.Pruning;

/// <summary>
/// vdsr-prune's fine-tuning defaults: main_vdsr.py's loop (sum loss, norm clipping at 0.4, SGD with
/// momentum 0.9 and weight decay 1e-4) at batch 64 and a lower learning rate decayed every epoch.
/// Chosen by measurement: from the L1-pruned, reconstructed model, about 300 steps at lr 0.1 / 0.03 /
/// 0.01 / 0.001 gave Set5 x2 36.51 / 36.72 / 36.59 / 36.26 dB (see the README).
/// </summary>
public static class FineTuneRecipe
{
    public static TrainingOptions Options { get; } = new()
    {
        BatchSize = 64,
        Epochs = 4,
        LearningRate = 0.03,
        Step = 1,
    };

    public static string Description =>
        $"batch {Options.BatchSize}, lr {Options.LearningRate} decayed x0.1 every {Options.Step} epoch, {Options.Epochs} epochs, clip {Options.Clip}";
}
