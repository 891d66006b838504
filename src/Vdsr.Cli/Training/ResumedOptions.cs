using Vdsr.Core;
using Vdsr.Core.Training;

namespace Vdsr.Cli.Training;

/// <summary>
/// The options of a resumed run: those stored in the checkpoint, so that it continues exactly,
/// except <c>--nEpochs</c>, which may be raised to train longer. Any other training flag given on
/// the command line must match the checkpoint.
/// </summary>
public static class ResumedOptions
{
    /// <param name="flags">The tool's training flags (which flag sets which option).</param>
    /// <param name="stored">The options in the checkpoint.</param>
    /// <param name="requested">The options the command line asks for.</param>
    /// <param name="givenFlags">The flags the user typed (defaults left out), e.g. "--nEpochs".</param>
    /// <param name="origin">The checkpoint, for error messages.</param>
    public static TrainingOptions Reconcile(TrainingFlags flags, TrainingOptions stored, TrainingOptions requested, IReadOnlySet<string> givenFlags, string origin)
    {
        string startEpoch = flags.FlagOf(nameof(TrainingOptions.StartEpoch)), epochs = flags.FlagOf(nameof(TrainingOptions.Epochs));
        if (givenFlags.Contains(startEpoch))
            throw new VdsrUserException($"{startEpoch} cannot be combined with --resume (the checkpoint {origin} says where to continue)");
        foreach (var (field, flag) in flags.Flags)
        {
            if (flag == startEpoch || flag == epochs || !givenFlags.Contains(flag)) continue;
            string inCheckpoint = field.Format(stored) ?? "(none)", asked = field.Format(requested) ?? "(none)";
            if (inCheckpoint != asked)
                throw new VdsrUserException(
                    $"{flag} {asked} differs from {inCheckpoint} in {origin}: a resumed run keeps its checkpoint's options (only {epochs} may change)");
        }
        return givenFlags.Contains(epochs) ? stored with { Epochs = requested.Epochs } : stored;
    }
}
