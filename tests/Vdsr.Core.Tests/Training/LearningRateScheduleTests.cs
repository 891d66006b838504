using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.Training;

public class LearningRateScheduleTests
{
    [Theory]
    [InlineData(1, 0.1)]
    [InlineData(10, 0.1)]
    [InlineData(11, 0.01)]
    [InlineData(20, 0.01)]
    [InlineData(21, 0.001)]
    [InlineData(50, 0.00001)]
    public void DecaysTenfoldEveryStepEpochsCountingFromOne(int epoch, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.At(0.1, 10, epoch), 15);

    [Fact]
    public void UsesTheOptions() =>
        Assert.Equal(0.5 * 0.01, LearningRateSchedule.At(new TrainingOptions { LearningRate = 0.5, Step = 3 }, 7), 15);
}

public class CosineLearningRateTests
{
    private static readonly TrainingOptions Cosine = new() { LearningRate = 0.2, Epochs = 3, StartEpoch = 2, LearningRateDecay = LearningRateDecay.Cosine };

    [Fact]
    public void StartsAtTheLearningRateAndFallsToZeroOverTheRunsSteps()
    {
        // epochs 2..3 of 50 steps: 100 steps; step k gets lr0 (1 + cos(pi (k-1) / 100)) / 2
        Assert.Equal(0.2, LearningRateSchedule.At(Cosine, 2, 1, 50), 15);
        Assert.Equal(0.1, LearningRateSchedule.At(Cosine, 3, 51, 50), 15);
        Assert.Equal(0.2 * 0.5 * (1 + Math.Cos(Math.PI * 99 / 100)), LearningRateSchedule.At(Cosine, 3, 100, 50), 15);
        Assert.True(LearningRateSchedule.At(Cosine, 3, 100, 50) > 0);
    }

    [Fact]
    public void FallsMonotonicallyAndIgnoresTheStepDecay()
    {
        double previous = double.MaxValue;
        for (long k = 1; k <= 100; k++)
        {
            double lr = LearningRateSchedule.At(Cosine with { Step = 1 }, k <= 50 ? 2 : 3, k, 50);
            Assert.True(lr < previous, $"step {k}: {lr} after {previous}");
            previous = lr;
        }
    }

    [Fact]
    public void WarmUpScalesTheCosine() =>
        Assert.Equal(0.2 * 0.5 * (1 + Math.Cos(Math.PI * 4 / 100)) * 5 / 10,
            LearningRateSchedule.At(Cosine with { WarmupSteps = 10 }, 2, 5, 50), 15);

    [Fact]
    public void StoredInTheCheckpointAndAbsentMeansStep()
    {
        var metadata = new Dictionary<string, string>();
        Cosine.WriteTo(metadata);
        Assert.Equal("cosine", metadata["training.options.lr_decay"]);
        Assert.Equal(LearningRateDecay.Cosine, TrainingOptions.ReadFrom(metadata, "x").LearningRateDecay);
        metadata.Remove("training.options.lr_decay");
        Assert.Equal(LearningRateDecay.Step, TrainingOptions.ReadFrom(metadata, "x").LearningRateDecay);
        metadata["training.options.lr_decay"] = "linear";
        Assert.Contains("training option 'lr_decay' is none of step, cosine: 'linear'", Assert.Throws<CheckpointFormatException>(() => TrainingOptions.ReadFrom(metadata, "x")).Message);
    }
}

public class CosineOverMinutesTests
{
    private static readonly TrainingOptions Options = new() { LearningRate = 0.2, LearningRateDecay = LearningRateDecay.Cosine, DecayMinutes = 10 };

    [Theory]
    [InlineData(0, 0.2)]
    [InlineData(300, 0.1)]
    [InlineData(600, 0)]
    [InlineData(900, 0)]
    public void FollowsTheTrainingClockNotTheSteps(double elapsedSeconds, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.At(Options, 1, 7, 1000, elapsedSeconds), 15);

    [Fact]
    public void IsStoredAndValidated()
    {
        var metadata = new Dictionary<string, string>();
        Options.WriteTo(metadata);
        Assert.Equal(10, TrainingOptions.ReadFrom(metadata, "x").DecayMinutes);
        Assert.Throws<TrainingOptionException>(() => (Options with { DecayMinutes = -1 }).Validate());
    }
}
