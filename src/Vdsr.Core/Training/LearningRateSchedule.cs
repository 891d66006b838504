namespace Vdsr.Core.Training;

/// <summary>
/// The original's step decay, lr0 divided by 10 every <c>step</c> epochs (epochs count from 1), times
/// an optional linear warm-up over the first steps of the run.
/// </summary>
public static class LearningRateSchedule
{
    public static double At(double initialLearningRate, int step, int epoch)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "the decay step must be at least 1 epoch");
        if (epoch < 1) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epochs count from 1");
        return initialLearningRate * Math.Pow(0.1, (epoch - 1) / step);
    }

    public static double At(TrainingOptions options, int epoch) => At(options.LearningRate, options.Step, epoch);

    /// <summary>The lr of the <paramref name="runStep"/>-th step of the run (from 1): step k of a warm-up of n gets k/n of it.</summary>
    public static double At(TrainingOptions options, int epoch, long runStep)
    {
        double lr = At(options, epoch);
        return options.WarmupSteps > 0 && runStep < options.WarmupSteps ? lr * runStep / options.WarmupSteps : lr;
    }
}
