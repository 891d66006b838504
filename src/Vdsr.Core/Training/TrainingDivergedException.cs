namespace Vdsr.Core.Training;

/// <summary>The loss or the gradient became NaN or infinite; the weights were left as they were before that step.</summary>
public sealed class TrainingDivergedException : VdsrUserException
{
    public TrainingDivergedException(string message) : base(message) { }
}
