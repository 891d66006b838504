using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;
using Vdsr.Core.Training;

namespace Vdsr.Core.Tests;

public class EnumNamesTests
{
    [Fact]
    public void EveryChoiceIsSpelledInLowerCaseAndParsesBack()
    {
        RoundTrips<LossReduction>("sum", "batch", "mean");
        RoundTrips<OptimizerKind>("sgd", "adam");
        RoundTrips<ClipMode>("norm", "adjustable");
        RoundTrips<LearningRateDecay>("step", "cosine");
        RoundTrips<ConvPrecision>("fp32", "bf16");
        RoundTrips<PrecisionRequest>("fp32", "bf16", "auto");
        RoundTrips<ConvAlgorithm>("direct", "winograd");
        RoundTrips<PruningMethod>("l1", "l2", "fpgm", "level");
    }

    private static void RoundTrips<T>(params string[] names) where T : struct, Enum
    {
        Assert.Equal(names, EnumNames.All<T>());
        foreach (var name in names)
        {
            Assert.Equal(name, EnumNames.Name(EnumNames.Parse<T>(name)!.Value));
            Assert.Equal(EnumNames.Parse<T>(name), EnumNames.Parse<T>($" {name.ToUpperInvariant()} "));
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("norm,adjustable")]
    public void NumbersAndOtherTextNameNoChoice(string? text)
    {
        Assert.Null(EnumNames.Parse<ClipMode>(text));
        Assert.Null(ClipModes.Parse(text ?? ""));
    }

    [Fact]
    public void ACheckpointWhoseClipModeIsANumberIsRefused()
    {
        var metadata = new Dictionary<string, string>();
        new TrainingOptions().WriteTo(metadata);
        var key = metadata.Keys.Single(k => k.EndsWith("clip_mode", StringComparison.Ordinal));
        metadata[key] = "1";
        var e = Assert.Throws<CheckpointFormatException>(() => TrainingOptions.ReadFrom(metadata, "model.safetensors"));
        Assert.Equal("model.safetensors: training option 'clip_mode' is none of norm, adjustable: '1'", e.Message);
    }
}
