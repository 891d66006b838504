using Vdsr.Core.Model;
using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.Training;

public class TrainingOptionsTests
{
    [Fact]
    public void DefaultsAreTheOriginals()
    {
        var o = new TrainingOptions();
        Assert.Equal((128, 50, 1, 0.1, 10, 0.4, ClipMode.Norm, 0.9, 1e-4),
            (o.BatchSize, o.Epochs, o.StartEpoch, o.LearningRate, o.Step, o.Clip, o.ClipMode, o.Momentum, o.WeightDecay));
    }

    [Fact]
    public void RoundTripsThroughMetadataExactly()
    {
        var o = new TrainingOptions
        {
            LearningRate = 0.1 / 3, Clip = 0.123456789012345, ClipMode = ClipMode.Adjustable, Seed = -42, CheckpointEveryEpochs = 5, Precision = ConvPrecision.Bf16,
            LossReduction = LossReduction.Batch, Optimizer = OptimizerKind.Adam, WarmupSteps = 250, Recipe = "fast",
            ValEverySteps = 1000, ValEveryMinutes = 2.5, CheckpointEverySteps = 3000, CheckpointEveryMinutes = 10,
        };
        var metadata = new Dictionary<string, string>();
        o.WriteTo(metadata);
        Assert.Equal(o, TrainingOptions.ReadFrom(metadata, "x"));
    }

    [Fact]
    public void CheckpointsFromBeforeBf16TrainingReadAsFp32()
    {
        var metadata = new Dictionary<string, string>();
        new TrainingOptions { Precision = ConvPrecision.Bf16 }.WriteTo(metadata);
        Assert.Equal("bf16", metadata["training.options.precision"]);
        metadata.Remove("training.options.precision");
        Assert.Equal(ConvPrecision.Fp32, TrainingOptions.ReadFrom(metadata, "x").Precision);
        metadata["training.options.precision"] = "fp8";
        Assert.Contains("training option 'precision' is none of fp32, bf16: 'fp8'", Assert.Throws<CheckpointFormatException>(() => TrainingOptions.ReadFrom(metadata, "x")).Message);
    }

    [Fact]
    public void BadValuesNameTheOption()
    {
        var e = Assert.Throws<TrainingOptionException>(() => new TrainingOptions { BatchSize = 0 }.Validate());
        Assert.Equal((nameof(TrainingOptions.BatchSize), "0", "must be at least 1"), (e.Option, e.Value, e.Problem));
        Assert.Equal(nameof(TrainingOptions.LearningRate), Assert.Throws<TrainingOptionException>(() => new TrainingOptions { LearningRate = double.NaN }.Validate()).Option);
        Assert.Equal(nameof(TrainingOptions.Epochs), Assert.Throws<TrainingOptionException>(() => new TrainingOptions { StartEpoch = 5, Epochs = 4 }.Validate()).Option);
    }

    [Fact]
    public void MissingOptionNamesTheCheckpoint()
    {
        var e = Assert.Throws<CheckpointFormatException>(() => TrainingOptions.ReadFrom(new Dictionary<string, string>(), "run/model_epoch_3.vdsr"));
        Assert.StartsWith("run/model_epoch_3.vdsr: ", e.Message);
    }

    [Fact]
    public void AHandEditedInvalidOptionNamesTheCheckpoint()
    {
        var metadata = new Dictionary<string, string>();
        new TrainingOptions().WriteTo(metadata);
        metadata["training.options.batch_size"] = "-4";
        var e = Assert.Throws<CheckpointFormatException>(() => TrainingOptions.ReadFrom(metadata, "run/model_epoch_3.safetensors"));
        Assert.Equal("run/model_epoch_3.safetensors: stored training option BatchSize -4: must be at least 1 (edited by hand?)", e.Message);
    }

    [Fact]
    public void CheckpointsFromBeforeTheRenameReadTheirEpochCadence()
    {
        var metadata = new Dictionary<string, string>();
        new TrainingOptions { CheckpointEveryEpochs = 3 }.WriteTo(metadata);
        Assert.Equal("3", metadata["training.options.checkpoint_every_epochs"]);
        Assert.False(metadata.ContainsKey("training.options.checkpoint_every"));
        metadata.Remove("training.options.checkpoint_every_epochs");
        metadata["training.options.checkpoint_every"] = "4"; // the key before it said what it counts
        Assert.Equal(4, TrainingOptions.ReadFrom(metadata, "x").CheckpointEveryEpochs);
    }

    [Fact]
    public void EveryOptionHasExactlyOneRowInTheTable()
    {
        var properties = typeof(TrainingOptions).GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name).Order();
        Assert.Equal(properties, TrainingOptionTable.Fields.Select(f => f.Property).Order());
        Assert.Equal(TrainingOptionTable.Fields.Count, TrainingOptionTable.Fields.Select(f => f.Key).Distinct().Count());
    }

    [Fact]
    public void EveryRowRoundTripsAValueOtherThanTheDefault()
    {
        var changed = new TrainingOptions
        {
            BatchSize = 7, Epochs = 9, StartEpoch = 2, Optimizer = OptimizerKind.Adam, LearningRate = 0.07, Step = 3,
            LearningRateDecay = LearningRateDecay.Cosine, DecayMinutes = 1.5, WarmupSteps = 4, Momentum = 0.5, WeightDecay = 0.25,
            LossReduction = LossReduction.Mean, ClipMode = ClipMode.Adjustable, Clip = 0.3, Precision = ConvPrecision.Bf16, Seed = 11,
            DistillWeight = 0.75, CheckpointEveryEpochs = 2, CheckpointEverySteps = 5, CheckpointEveryMinutes = 6, ValEverySteps = 8,
            ValEveryMinutes = 9.5, Recipe = "fast",
        };
        var defaults = new TrainingOptions();
        foreach (var field in TrainingOptionTable.Fields)
        {
            Assert.NotEqual(field.Format(defaults), field.Format(changed));
            var parsed = field.Parse(defaults, field.Format(changed)!);
            Assert.NotNull(parsed);
            Assert.Equal(field.Format(changed), field.Format(parsed!));
        }
    }
}
