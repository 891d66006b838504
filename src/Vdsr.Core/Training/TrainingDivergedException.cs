namespace Vdsr.Core.Training;

/// <summary>
/// The loss or the gradient became NaN or infinite, or the network collapsed to the identity (its
/// residual is zero and no gradient flows); the weights were left as they were before that step.
/// </summary>
public sealed class TrainingDivergedException : VdsrUserException
{
    public TrainingDivergedException(string message, params IReadOnlyList<string> suspects) : base(message) => Suspects = suspects;

    /// <summary>The <see cref="TrainingOptions"/> properties the message names as the likely cause, most likely first.</summary>
    public IReadOnlyList<string> Suspects { get; }
}
