namespace Vdsr.Core.Training;

/// <summary>Where training stands: the epoch of the next step and how many of its batches are already done.</summary>
public readonly record struct TrainingPosition(int Epoch, long BatchesDone)
{
    /// <summary>Epochs finished before this position (what a checkpoint is numbered after).</summary>
    public int CompletedEpochs => Epoch - 1;
}
