using System.CommandLine;
using Vdsr.Cli;
using Vdsr.Cli.Training;
using Vdsr.Core;
using Vdsr.Core.Training;

namespace Vdsr.Tools.Tests;

/// <summary>The command-line layer in process: flag parsing, flag-worded errors, scale lists.</summary>
public class TrainingFlagsTests
{
    private static (TrainingFlags Flags, ParseResult Parse) Parse(params string[] args)
    {
        var flags = new TrainingFlags(new TrainingOptions(), "checkpoint", "stop after this long");
        var command = new RootCommand("test");
        flags.AddTo(command);
        return (flags, command.Parse(args));
    }

    [Fact]
    public void ReadsTheOriginalFlagsWithTheirDefaults()
    {
        var (flags, parse) = Parse("--batchSize", "64", "--lr", "0.05", "--clip-mode", "adjustable");
        var options = flags.Read(parse);
        Assert.Equal(new TrainingOptions { BatchSize = 64, LearningRate = 0.05, ClipMode = ClipMode.Adjustable }, options);
        Assert.Equal(new HashSet<string> { "--batchSize", "--lr", "--clip-mode" }, flags.Given(parse));
    }

    [Fact]
    public void PrecisionIsATrainingOption()
    {
        var (flags, parse) = Parse("--precision", "bf16");
        Assert.Equal(Vdsr.Core.Model.ConvPrecision.Bf16, flags.Read(parse).Precision);
        Assert.Contains("--precision", flags.Given(parse));
        var (defaults, none) = Parse();
        Assert.Equal(Vdsr.Core.Model.ConvPrecision.Fp32, defaults.Read(none).Precision); // the original trains in fp32
        var (autoFlags, autoParse) = Parse("--precision", "auto");
        var auto = autoFlags.Read(autoParse).Precision;
        Assert.Equal(Vdsr.Core.Runtime.CpuFeatures.HasNativeBf16 ? Vdsr.Core.Model.ConvPrecision.Bf16 : Vdsr.Core.Model.ConvPrecision.Fp32, auto);
    }

    [Theory]
    [InlineData(new[] { "--batchSize", "0" }, "--batchSize 0: must be at least 1")]
    [InlineData(new[] { "--lr", "-1" }, "--lr -1: must be a positive number")]
    [InlineData(new[] { "--start-epoch", "5", "--nEpochs", "4" }, "--nEpochs 4: must be at least --start-epoch (5)")]
    [InlineData(new[] { "--momentum", "1" }, "--momentum 1: must be in [0, 1)")]
    [InlineData(new[] { "--time-budget", "soon" }, "--time-budget 'soon': expected a positive number of minutes")]
    [InlineData(new[] { "--threads", "-2" }, "--threads -2: must be zero")]
    [InlineData(new[] { "--precision", "half" }, "--precision half: expected fp32, bf16 or auto")]
    public void BadValuesAreReportedByTheirFlag(string[] args, string message)
    {
        var (flags, parse) = Parse(args);
        var e = Assert.Throws<VdsrUserException>(() => flags.Read(parse));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void EveryOptionThatCanFailMapsToARealFlag()
    {
        var (flags, _) = Parse();
        var command = new RootCommand("test");
        flags.AddTo(command);
        var names = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet();
        foreach (var option in new[] { nameof(TrainingOptions.BatchSize), nameof(TrainingOptions.Epochs), nameof(TrainingOptions.StartEpoch),
                     nameof(TrainingOptions.LearningRate), nameof(TrainingOptions.Step), nameof(TrainingOptions.Clip), nameof(TrainingOptions.Momentum),
                     nameof(TrainingOptions.WeightDecay), nameof(TrainingOptions.Seed), nameof(TrainingOptions.ClipMode) })
            Assert.Contains(TrainingFlags.FlagOf(option), names);
    }

    [Theory]
    [InlineData("2,3,4", new[] { 2, 3, 4 })]
    [InlineData(" 4 , 2,4", new[] { 4, 2 })]
    [InlineData("", new[] { 2, 3, 4 })]
    public void ScaleListsParse(string text, int[] expected) =>
        Assert.Equal(expected, ScaleList.Parse(text, [2, 3, 4]));

    [Theory]
    [InlineData("1")]
    [InlineData("9")]
    [InlineData("2,x")]
    public void ScaleListsRefuseFactorsOutsideTwoToEight(string text)
    {
        var e = Assert.Throws<VdsrUserException>(() => ScaleList.Parse(text, [2], "--val-scales"));
        Assert.StartsWith("--val-scales: '", e.Message);
        Assert.Contains("between 2 and 8", e.Message);
        Assert.Throws<VdsrUserException>(() => ScaleList.Check(9));
        Assert.Equal(8, ScaleList.Check(8));
    }
}
