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

    private static (TrainingFlags Flags, ParseResult Parse) ParseTrain(params string[] args)
    {
        var flags = new TrainingFlags(TrainingRecipes.Original.Options, "checkpoint", "stop after this long", offerRecipes: true);
        var command = new RootCommand("test");
        flags.AddTo(command);
        return (flags, command.Parse(args));
    }

    [Fact]
    public void RecipesResolveToTheirDocumentedFlags()
    {
        var (flags, parse) = ParseTrain();
        Assert.Equal(new TrainingOptions { Recipe = "original" }, flags.Read(parse)); // main_vdsr.py's defaults

        (flags, parse) = ParseTrain("--recipe", "paper");
        Assert.Equal(new TrainingOptions
        {
            Recipe = "paper", BatchSize = 64, LearningRate = 0.1, Step = 20, Epochs = 80, Momentum = 0.9, WeightDecay = 1e-4,
            ClipMode = ClipMode.Adjustable, Clip = 3e-5, LossReduction = LossReduction.Batch, Optimizer = OptimizerKind.Sgd,
        }, flags.Read(parse));

        (flags, parse) = ParseTrain("--recipe", "fast");
        var fast = flags.Read(parse);
        Assert.Equal(TrainingRecipes.Fast.Options with
        {
            Precision = Vdsr.Core.Runtime.CpuFeatures.HasNativeBf16 ? Vdsr.Core.Model.ConvPrecision.Bf16 : Vdsr.Core.Model.ConvPrecision.Fp32,
        }, fast);
        Assert.Equal(OptimizerKind.Adam, fast.Optimizer);
        Assert.Equal(LossReduction.Mean, fast.LossReduction);
        Assert.StartsWith("=> recipe fast: --batchSize 16 ", flags.Describe(parse, fast));
    }

    [Fact]
    public void ExplicitFlagsWinOverTheRecipe()
    {
        var (flags, parse) = ParseTrain("--recipe", "paper", "--batchSize", "32", "--loss-reduction", "mean", "--precision", "bf16");
        var options = flags.Read(parse);
        Assert.Equal((32, LossReduction.Mean, Vdsr.Core.Model.ConvPrecision.Bf16), (options.BatchSize, options.LossReduction, options.Precision));
        Assert.Equal((20, 80, ClipMode.Adjustable, 3e-5), (options.Step, options.Epochs, options.ClipMode, options.Clip)); // the rest from the recipe
        Assert.EndsWith("(given on the command line: --batchSize --loss-reduction --precision)", flags.Describe(parse, options));

        // Without a recipe a typed flag wins over the tool's default in the same way.
        (flags, parse) = ParseTrain("--optimizer", "adam", "--warmup", "50");
        Assert.Equal(new TrainingOptions { Recipe = "original", Optimizer = OptimizerKind.Adam, WarmupSteps = 50 }, flags.Read(parse));
    }

    [Fact]
    public void ANamedRecipeCountsAsGivingEveryOptionItSets()
    {
        var (flags, parse) = ParseTrain("--recipe", "fast");
        var given = flags.Given(parse);
        Assert.Contains("--recipe", given);
        Assert.Contains("--lr", given);
        Assert.Contains("--loss-reduction", given);
        Assert.DoesNotContain("--start-epoch", given); // a recipe never says where to continue
        var (_, none) = ParseTrain();
        Assert.Empty(flags.Given(none));
    }

    [Fact]
    public void AnUnknownRecipeIsRefusedByTheParser()
    {
        var (_, parse) = ParseTrain("--recipe", "quick");
        Assert.NotEmpty(parse.Errors);
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
    [InlineData(new[] { "--no-val", "--val-every", "10" }, "--no-val turns validation off, so --val-every would never run")]
    [InlineData(new[] { "--no-val", "--val-every-minutes", "5" }, "--no-val turns validation off, so --val-every-minutes would never run")]
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
            Assert.Contains(flags.FlagOf(option), names);
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
