using Vdsr.Cli.Training;
using Vdsr.Core;
using Vdsr.Core.Training;

namespace Vdsr.Tools.Tests;

public class ResumedOptionsTests
{
    private static readonly TrainingFlags Flags = new(new TrainingOptions(), "checkpoint", "budget", offerRecipes: true,
        distill: new System.CommandLine.Option<double?>("--distill"));

    private static readonly TrainingOptions Stored = new() { BatchSize = 64, Epochs = 20, LearningRate = 0.05, Seed = 7, ClipMode = ClipMode.Adjustable, Precision = Vdsr.Core.Model.ConvPrecision.Bf16 };

    [Fact]
    public void KeepsTheCheckpointsOptionsWhenNoFlagIsGiven()
    {
        var requested = new TrainingOptions(); // every default differs from Stored
        Assert.Equal(Stored, ResumedOptions.Reconcile(Flags, Stored, requested, new HashSet<string>(), "ck"));
    }

    [Fact]
    public void TakesAGivenEpochCountAndAcceptsFlagsThatAgree()
    {
        var requested = new TrainingOptions { Epochs = 40, BatchSize = 64, LearningRate = 0.05, ClipMode = ClipMode.Adjustable };
        var given = new HashSet<string> { "--nEpochs", "--batchSize", "--lr", "--clip-mode" };
        Assert.Equal(Stored with { Epochs = 40 }, ResumedOptions.Reconcile(Flags, Stored, requested, given, "ck"));
    }

    [Theory]
    [InlineData("--batchSize", "--batchSize 128 differs from 64 in ck.safetensors")]
    [InlineData("--lr", "--lr 0.1 differs from 0.05 in ck.safetensors")]
    [InlineData("--seed", "--seed 0 differs from 7 in ck.safetensors")]
    [InlineData("--clip-mode", "--clip-mode norm differs from adjustable in ck.safetensors")]
    [InlineData("--precision", "--precision fp32 differs from bf16 in ck.safetensors")]
    public void RefusesAFlagThatWouldChangeTheRun(string flag, string message)
    {
        var e = Assert.Throws<VdsrUserException>(() =>
            ResumedOptions.Reconcile(Flags, Stored, new TrainingOptions(), new HashSet<string> { flag }, "ck.safetensors"));
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData("--loss-reduction", "--loss-reduction sum differs from mean in ck")]
    [InlineData("--optimizer", "--optimizer sgd differs from adam in ck")]
    [InlineData("--warmup", "--warmup 0 differs from 100 in ck")]
    [InlineData("--recipe", "--recipe original differs from fast in ck")]
    [InlineData("--lr-decay", "--lr-decay step differs from cosine in ck")]
    [InlineData("--val-every", "--val-every 0 differs from 500 in ck")]
    [InlineData("--val-every-minutes", "--val-every-minutes 0 differs from 5 in ck")]
    public void NewOptionsAreCheckedLikeTheOthers(string flag, string message)
    {
        var stored = new TrainingOptions { Recipe = "fast", LossReduction = LossReduction.Mean, Optimizer = OptimizerKind.Adam, WarmupSteps = 100, ValEverySteps = 500, ValEveryMinutes = 5, LearningRateDecay = LearningRateDecay.Cosine };
        var e = Assert.Throws<VdsrUserException>(() =>
            ResumedOptions.Reconcile(Flags, stored, new TrainingOptions { Recipe = "original" }, new HashSet<string> { flag }, "ck"));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void RefusesAStartEpoch()
    {
        var e = Assert.Throws<VdsrUserException>(() =>
            ResumedOptions.Reconcile(Flags, Stored, new TrainingOptions { StartEpoch = 3 }, new HashSet<string> { "--start-epoch" }, "ck"));
        Assert.Contains("--start-epoch cannot be combined with --resume", e.Message);
    }

    [Fact]
    public void ADifferentDistillationWeightIsRefused()
    {
        var stored = new TrainingOptions { DistillWeight = 0.25 };
        var e = Assert.Throws<VdsrUserException>(() =>
            ResumedOptions.Reconcile(Flags, stored, new TrainingOptions { DistillWeight = 0.5 }, new HashSet<string> { "--distill" }, "ck"));
        Assert.StartsWith("--distill 0.5 differs from 0.25 in ck", e.Message);
    }
}
