using Vdsr.Core.Checkpoints;

namespace Vdsr.Core.Training;

public enum CheckpointReason
{
    /// <summary>An epoch finished (every <see cref="TrainingOptions.CheckpointEveryEpochs"/> and the last).</summary>
    EpochEnd,

    /// <summary>Cancellation stopped training between two steps.</summary>
    Cancelled,

    /// <summary>Inside an epoch, by --checkpoint-every or --checkpoint-every-minutes.</summary>
    Scheduled,
}

/// <summary>
/// A complete, resumable training state offered to the caller, who decides where it goes
/// (e.g. CheckpointFile.Save). <see cref="State"/> holds weights, momentum buffers and metadata.
/// </summary>
public sealed record TrainingCheckpoint(StateDict State, TrainingPosition Position, CheckpointReason Reason);

/// <summary>Handed to the end-of-epoch hook (validation, logging); the net holds this epoch's weights.</summary>
public sealed record EpochSummary(int Epoch, long Iterations, double MeanLoss, double LearningRate, Model.VdsrNet Net, double ElapsedSeconds = 0);

/// <summary>A validation due inside an epoch (after <see cref="Iteration"/> steps of <see cref="Epoch"/>); the net holds the weights of that step.</summary>
public sealed record ValidationPoint(int Epoch, long Iteration, double ElapsedSeconds, Model.VdsrNet Net);
