namespace Vdsr.Core.Training;

public enum TrainingOutcome
{
    /// <summary>Every epoch up to <see cref="TrainingOptions.Epochs"/> ran.</summary>
    Completed,

    /// <summary>The cancellation token stopped training; a checkpoint was offered first.</summary>
    Cancelled,
}

/// <summary>Sum-MSE loss of a batch and the global gradient norm before clipping.</summary>
public readonly record struct StepResult(double Loss, double GradientNorm);
