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
