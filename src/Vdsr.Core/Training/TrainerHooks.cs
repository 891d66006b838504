namespace Vdsr.Core.Training;

/// <summary>What a <see cref="Trainer"/> reports while it runs, all called synchronously on the training thread.</summary>
public sealed record TrainerHooks
{
    /// <summary>Receives every step.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>An epoch (or the rest of one, after a resume) is about to run, with its number of batches.</summary>
    public Action<TrainingPosition, long>? EpochStarting { get; init; }

    /// <summary>After each epoch, before its checkpoint (e.g. to validate and log PSNR).</summary>
    public Action<EpochSummary>? EpochEnded { get; init; }

    /// <summary>Receives each checkpoint; never called with weights from a diverged step.</summary>
    public Action<TrainingCheckpoint>? CheckpointReady { get; init; }

    /// <summary>Inside an epoch, when the step or minute cadence of validations says so (the epoch's end has its own).</summary>
    public Action<ValidationPoint>? ValidationDue { get; init; }
}
