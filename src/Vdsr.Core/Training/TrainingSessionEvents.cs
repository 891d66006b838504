namespace Vdsr.Core.Training;

/// <summary>What a <see cref="TrainingSession"/> tells its caller (the console, a test), on the training thread.</summary>
public sealed record TrainingSessionEvents
{
    /// <summary>Status lines (checkpoints written, validation results).</summary>
    public Action<string>? Message { get; init; }

    /// <summary>An older checkpoint deleted to keep the newest ones; without it, a line goes to <see cref="Message"/>.</summary>
    public Action<string>? CheckpointRemoved { get; init; }

    /// <summary>An epoch's steps are about to run from this position; the long is the epoch's number of steps.</summary>
    public Action<TrainingPosition, long>? EpochStarting { get; init; }

    /// <summary>Every step, after it is logged.</summary>
    public Action<TrainingProgress>? StepDone { get; init; }

    /// <summary>An epoch's steps are done; called before its validation.</summary>
    public Action<EpochSummary>? EpochTrained { get; init; }
}
