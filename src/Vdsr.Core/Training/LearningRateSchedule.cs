namespace Vdsr.Core.Training;

/// <summary>
/// The original's step decay, lr0 divided by 10 every <c>step</c> epochs (epochs count from 1), or a
/// cosine decay over the whole run, times an optional linear warm-up over the first steps of the run.
/// </summary>
public static class LearningRateSchedule
{
    public static double At(double initialLearningRate, int step, int epoch)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "the decay step must be at least 1 epoch");
        if (epoch < 1) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epochs count from 1");
        return initialLearningRate * Math.Pow(0.1, (epoch - 1) / step);
    }

    /// <summary>The step decay's lr of an epoch (the cosine decay's lr at the epoch's first step).</summary>
    public static double At(TrainingOptions options, int epoch) => At(options.LearningRate, options.Step, epoch);

    /// <summary>
    /// The lr of the <paramref name="runStep"/>-th step of the run (from 1), an epoch having
    /// <paramref name="stepsPerEpoch"/> steps: step k of a warm-up of n gets k/n of it. The cosine decay
    /// runs over the steps from <see cref="TrainingOptions.StartEpoch"/> to the end of <see cref="TrainingOptions.Epochs"/>,
    /// or, with <see cref="TrainingOptions.DecayMinutes"/>, over that much of the training clock
    /// (<paramref name="elapsedSeconds"/> before the step), for runs whose length is a time budget.
    /// </summary>
    public static double At(TrainingOptions options, int epoch, long runStep, long stepsPerEpoch, double elapsedSeconds = 0)
    {
        double lr = options.LearningRateDecay != LearningRateDecay.Cosine ? At(options, epoch)
            : options.DecayMinutes > 0 ? CosineOfProgress(options.LearningRate, elapsedSeconds / (60 * options.DecayMinutes))
            : Cosine(options.LearningRate, runStep, (long)(options.Epochs - options.StartEpoch + 1) * stepsPerEpoch);
        return options.WarmupSteps > 0 && runStep < options.WarmupSteps ? lr * runStep / options.WarmupSteps : lr;
    }

    /// <summary>lr0 (1 + cos(pi (k - 1) / n)) / 2 for step k of n: lr0 at the first step, above 0 at the last.</summary>
    public static double Cosine(double initialLearningRate, long runStep, long totalSteps)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "a run has at least one step");
        return CosineOfProgress(initialLearningRate, (runStep - 1) / (double)totalSteps);
    }

    /// <summary>lr0 (1 + cos(pi p)) / 2 at progress p in [0, 1] (clamped: 0 after the end).</summary>
    public static double CosineOfProgress(double initialLearningRate, double progress) =>
        initialLearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(progress, 0, 1)));
}
