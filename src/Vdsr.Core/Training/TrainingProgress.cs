using System.Globalization;

namespace Vdsr.Core.Training;

/// <summary>
/// What one step did. <see cref="Iteration"/> counts from 1 within the epoch, as the original prints it;
/// <see cref="ElapsedSeconds"/> is the run's training clock after the step (steps only, resumes included).
/// </summary>
public sealed record TrainingProgress(
    int Epoch,
    long Iteration,
    long IterationsPerEpoch,
    double Loss,
    double LearningRate,
    double GradientNorm,
    double PatchesPerSecond,
    double ElapsedSeconds = 0)
{
    /// <summary>The original prints its line every this many iterations.</summary>
    public const int OriginalLogInterval = 100;

    public bool IsOriginalLogIteration => Iteration % OriginalLogInterval == 0;

    /// <summary>main_vdsr.py's "===> Epoch[{}]({}/{}): Loss: {:.10f}".</summary>
    public string OriginalLogLine =>
        string.Create(CultureInfo.InvariantCulture, $"===> Epoch[{Epoch}]({Iteration}/{IterationsPerEpoch}): Loss: {Loss:F10}");
}
