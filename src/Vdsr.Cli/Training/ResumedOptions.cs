using Vdsr.Core;
using Vdsr.Core.Model;
using Vdsr.Core.Training;

namespace Vdsr.Cli.Training;

/// <summary>
/// The options of a resumed run: those stored in the checkpoint, so that it continues exactly,
/// except <c>--nEpochs</c>, which may be raised to train longer. Any other training flag given on
/// the command line must match the checkpoint.
/// </summary>
public static class ResumedOptions
{
    /// <param name="stored">The options in the checkpoint.</param>
    /// <param name="requested">The options the command line asks for.</param>
    /// <param name="givenFlags">The flags the user typed (defaults left out), e.g. "--nEpochs".</param>
    /// <param name="origin">The checkpoint, for error messages.</param>
    public static TrainingOptions Reconcile(TrainingOptions stored, TrainingOptions requested, IReadOnlySet<string> givenFlags, string origin)
    {
        if (givenFlags.Contains("--start-epoch"))
            throw new VdsrUserException($"--start-epoch cannot be combined with --resume (the checkpoint {origin} says where to continue)");
        Check("--batchSize", stored.BatchSize, requested.BatchSize);
        Check("--lr", stored.LearningRate, requested.LearningRate);
        Check("--step", stored.Step, requested.Step);
        Check("--clip", stored.Clip, requested.Clip);
        Check("--clip-mode", stored.ClipMode, requested.ClipMode);
        Check("--momentum", stored.Momentum, requested.Momentum);
        Check("--weight-decay", stored.WeightDecay, requested.WeightDecay);
        Check("--seed", stored.Seed, requested.Seed);
        Check("--distill", stored.DistillWeight, requested.DistillWeight);
        Check("--precision", stored.Precision, requested.Precision);
        Check("--loss-reduction", stored.LossReduction, requested.LossReduction);
        Check("--optimizer", stored.Optimizer, requested.Optimizer);
        Check("--warmup", stored.WarmupSteps, requested.WarmupSteps);
        Check("--lr-decay", stored.LearningRateDecay, requested.LearningRateDecay);
        Check("--lr-decay-minutes", stored.DecayMinutes, requested.DecayMinutes);
        Check("--recipe", stored.Recipe ?? "(none)", requested.Recipe ?? "(none)");
        Check("--val-every", stored.ValEverySteps, requested.ValEverySteps);
        Check("--val-every-minutes", stored.ValEveryMinutes, requested.ValEveryMinutes);
        Check("--checkpoint-every", stored.CheckpointEverySteps, requested.CheckpointEverySteps);
        Check("--checkpoint-every-minutes", stored.CheckpointEveryMinutes, requested.CheckpointEveryMinutes);
        return givenFlags.Contains("--nEpochs") ? stored with { Epochs = requested.Epochs } : stored;

        void Check<T>(string flag, T inCheckpoint, T asked)
        {
            if (givenFlags.Contains(flag) && !EqualityComparer<T>.Default.Equals(inCheckpoint, asked))
                throw new VdsrUserException(
                    $"{flag} {Text(asked)} differs from {Text(inCheckpoint)} in {origin}: a resumed run keeps its checkpoint's options (only --nEpochs may change)");
        }
    }

    private static string Text<T>(T value) => value switch
    {
        ClipMode mode => mode.Name(),
        ConvPrecision precision => precision.Name(),
        LossReduction reduction => reduction.Name(),
        OptimizerKind kind => kind.Name(),
        LearningRateDecay decay => decay.Name(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };
}
