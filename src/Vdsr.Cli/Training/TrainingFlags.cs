using System.CommandLine;
using Vdsr.Core;
using Vdsr.Core.Model;
using Vdsr.Core.Training;

namespace Vdsr.Cli.Training;

/// <summary>
/// main_vdsr.py's training flags (same names and meanings) plus this toolkit's, shared by
/// vdsr-train and the fine-tuning of vdsr-prune. Defaults come from the tool's recipe, or from
/// `--recipe` where the tool offers it; a flag given on the command line wins over either.
/// </summary>
public sealed class TrainingFlags
{
    public Option<int> BatchSize { get; }
    public Option<int> Epochs { get; }
    public Option<double> LearningRate { get; }
    public Option<int> Step { get; }
    public Option<string> Resume { get; } = new("--resume") { Description = "Path to checkpoint (default: none); 'latest' takes the checkpoint written last in --checkpoint-dir", DefaultValueFactory = _ => "" };
    public Option<int> StartEpoch { get; }
    public Option<double> Clip { get; }
    public Option<int> Threads { get; } = new("--threads") { Description = "Number of threads for data loader to use, Default: 1", DefaultValueFactory = _ => 1 };
    public Option<double> Momentum { get; }
    public Option<double> WeightDecay { get; }
    public Option<string> Data { get; } = new("--data") { Description = "training HDF5 file with 'data' and 'label' (default: data/train.h5)", DefaultValueFactory = _ => "data/train.h5" };
    public Option<string> CheckpointDir { get; }
    public Option<long> Seed { get; }
    public Option<string> ClipMode { get; }
    public Option<string> ValDataset { get; } = new("--val-dataset") { Description = "validation images after every epoch: a folder of HR images or <name>_x<s>.mat files (default: Set5)", DefaultValueFactory = _ => "Set5" };
    public Option<string?> ValScales { get; } = new("--val-scales") { Description = "validation scales, a comma list (default: 2,3,4)" };
    public Option<bool> NoVal { get; } = new("--no-val") { Description = "skip the validation after every epoch" };
    public Option<string?> TimeBudget { get; }
    public Option<string> LossReduction { get; }
    public Option<string> Optimizer { get; }
    public Option<int> Warmup { get; }
    public Option<string> LearningRateDecay { get; }
    public Option<double> DecayMinutes { get; } = new("--lr-decay-minutes") { Description = "with --lr-decay cosine: decay over this many minutes of training (e.g. the --time-budget) instead of over the epochs (0: over the epochs, or with --time-budget over the minutes it leaves when training starts)", DefaultValueFactory = _ => 0 };
    public Option<long> ValEvery { get; } = new("--val-every") { Description = "also validate every this many steps (0: only after each epoch)", DefaultValueFactory = _ => 0 };
    public Option<double> ValEveryMinutes { get; } = new("--val-every-minutes") { Description = "also validate each time the training clock passes a multiple of this many minutes (0: off)", DefaultValueFactory = _ => 0 };
    public Option<long> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "also checkpoint every this many steps (0: only after each epoch)", DefaultValueFactory = _ => 0 };
    public Option<double> CheckpointEveryMinutes { get; } = new("--checkpoint-every-minutes") { Description = "also checkpoint each time the training clock passes a multiple of this many minutes (0: off)", DefaultValueFactory = _ => 0 };
    public Option<int> KeepCheckpoints { get; } = new("--keep-checkpoints") { Description = "keep only the N checkpoints written last in --checkpoint-dir, deleting older ones (default: 0, keep all)", DefaultValueFactory = _ => 0 };

    /// <summary>`--recipe original|paper|fast`; null where the tool has a recipe of its own (vdsr-prune).</summary>
    public Option<string>? Recipe { get; }

    /// <summary>Convs of the training steps (and, in vdsr-prune, of the report).</summary>
    public Option<string> Precision { get; } = PrecisionOption.Create(PrecisionRequest.Fp32);

    /// <summary>vdsr-prune's --distill; null in tools without distillation.</summary>
    public Option<double?>? Distill { get; }

    /// <summary>
    /// The flag of each <see cref="TrainingOptionTable"/> row that has one (all but the epoch cadence of
    /// checkpoints). Rows read by the tool are resolved specially (precision's auto, the recipe, the
    /// distillation weight) instead of parsed from the flag's text.
    /// </summary>
    private sealed record FlagRow(TrainingOptionField Field, Option Option, Func<ParseResult, string> Text, bool ReadByTool);

    private readonly List<FlagRow> _rows;
    private readonly TrainingOptions _defaults;

    private static FlagRow Row<T>(string property, Option<T> option, bool readByTool = false) =>
        new(TrainingOptionTable.Of(property), option,
            parse => Convert.ToString(parse.GetValue(option), System.Globalization.CultureInfo.InvariantCulture) ?? "", readByTool);

    /// <param name="defaults">The recipe's option values.</param>
    /// <param name="checkpointDir">Default checkpoint folder.</param>
    /// <param name="timeBudgetDescription">What --time-budget stops in this tool.</param>
    /// <param name="offerRecipes">Adds --recipe (vdsr-train); <paramref name="defaults"/> are then the original recipe's.</param>
    /// <param name="distill">The tool's distillation flag (vdsr-prune), whose weight the tool reads itself.</param>
    public TrainingFlags(TrainingOptions defaults, string checkpointDir, string timeBudgetDescription, bool offerRecipes = false, Option<double?>? distill = null)
    {
        _defaults = defaults;
        BatchSize = new("--batchSize") { Description = $"Training batch size (default: {defaults.BatchSize})", DefaultValueFactory = _ => defaults.BatchSize };
        Epochs = new("--nEpochs") { Description = $"Number of epochs to train for (default: {defaults.Epochs})", DefaultValueFactory = _ => defaults.Epochs };
        LearningRate = new("--lr") { Description = $"Learning Rate. Default={Text(defaults.LearningRate)}", DefaultValueFactory = _ => defaults.LearningRate };
        Step = new("--step") { Description = $"Sets the learning rate to the initial LR decayed by momentum every n epochs, Default: n={defaults.Step}", DefaultValueFactory = _ => defaults.Step };
        StartEpoch = new("--start-epoch") { Description = "Manual epoch number (useful on restarts)", DefaultValueFactory = _ => defaults.StartEpoch };
        Clip = new("--clip") { Description = $"Clipping Gradients. Default={Text(defaults.Clip)}", DefaultValueFactory = _ => defaults.Clip };
        Momentum = new("--momentum") { Description = $"Momentum, Default: {Text(defaults.Momentum)}", DefaultValueFactory = _ => defaults.Momentum };
        WeightDecay = new("--weight-decay", "--wd") { Description = $"Weight decay, Default: {Text(defaults.WeightDecay)}", DefaultValueFactory = _ => defaults.WeightDecay };
        CheckpointDir = new("--checkpoint-dir") { Description = $"folder for checkpoints, training_log.csv and training_curves.png (default: {checkpointDir}/)", DefaultValueFactory = _ => checkpointDir };
        Seed = new("--seed") { Description = "seed of the weight initialisation and the patch order (default: 0)", DefaultValueFactory = _ => defaults.Seed };
        var mode = defaults.ClipMode.Name();
        ClipMode = new("--clip-mode") { Description = $"norm (the original script: global gradient norm) or adjustable (the paper: each gradient clamped to clip/lr); default: {mode}", DefaultValueFactory = _ => mode };
        ClipMode.AcceptOnlyFromAmong(EnumNames.All<Core.Training.ClipMode>());
        TimeBudget = new("--time-budget") { Description = timeBudgetDescription };
        var reduction = defaults.LossReduction.Name();
        LossReduction = new("--loss-reduction")
        {
            Description = $"sum (main_vdsr.py: the sum of squared errors), batch (sum / 2N, Caffe's Euclidean loss as in the paper) or mean (per pixel); default: {reduction}",
            DefaultValueFactory = _ => reduction,
        };
        LossReduction.AcceptOnlyFromAmong(EnumNames.All<Core.Training.LossReduction>());
        var optimizer = defaults.Optimizer.Name();
        Optimizer = new("--optimizer") { Description = $"sgd (with --momentum, as the original) or adam; default: {optimizer}", DefaultValueFactory = _ => optimizer };
        Optimizer.AcceptOnlyFromAmong(EnumNames.All<OptimizerKind>());
        Warmup = new("--warmup") { Description = $"raise the lr linearly over this many first steps (default: {defaults.WarmupSteps})", DefaultValueFactory = _ => defaults.WarmupSteps };
        var decay = defaults.LearningRateDecay.Name();
        LearningRateDecay = new("--lr-decay")
        {
            Description = $"step (lr x0.1 every --step epochs, as the original) or cosine (half a cosine from --lr to 0 over the run's epochs); default: {decay}",
            DefaultValueFactory = _ => decay,
        };
        LearningRateDecay.AcceptOnlyFromAmong(EnumNames.All<Core.Training.LearningRateDecay>());
        if (offerRecipes)
        {
            Recipe = new("--recipe")
            {
                Description = "the settings the other flags start from: " + string.Join("; ", TrainingRecipes.All.Select(r => $"{r.Name} ({r.Summary})"))
                              + ". Flags given on the command line win; the resolved settings are printed. Default: original",
                DefaultValueFactory = _ => TrainingRecipes.Original.Name,
            };
            Recipe.AcceptOnlyFromAmong(TrainingRecipes.All.Select(r => r.Name).ToArray());
        }
        Distill = distill;
        _rows =
        [
            Row(nameof(TrainingOptions.BatchSize), BatchSize), Row(nameof(TrainingOptions.Epochs), Epochs),
            Row(nameof(TrainingOptions.StartEpoch), StartEpoch), Row(nameof(TrainingOptions.Optimizer), Optimizer),
            Row(nameof(TrainingOptions.LearningRate), LearningRate), Row(nameof(TrainingOptions.Step), Step),
            Row(nameof(TrainingOptions.LearningRateDecay), LearningRateDecay), Row(nameof(TrainingOptions.DecayMinutes), DecayMinutes),
            Row(nameof(TrainingOptions.WarmupSteps), Warmup), Row(nameof(TrainingOptions.Momentum), Momentum),
            Row(nameof(TrainingOptions.WeightDecay), WeightDecay), Row(nameof(TrainingOptions.LossReduction), LossReduction),
            Row(nameof(TrainingOptions.ClipMode), ClipMode), Row(nameof(TrainingOptions.Clip), Clip),
            Row(nameof(TrainingOptions.Precision), Precision, readByTool: true), Row(nameof(TrainingOptions.Seed), Seed),
            Row(nameof(TrainingOptions.CheckpointEverySteps), CheckpointEvery), Row(nameof(TrainingOptions.CheckpointEveryMinutes), CheckpointEveryMinutes),
            Row(nameof(TrainingOptions.ValEverySteps), ValEvery), Row(nameof(TrainingOptions.ValEveryMinutes), ValEveryMinutes),
        ];
        if (distill is not null) _rows.Add(Row(nameof(TrainingOptions.DistillWeight), distill, readByTool: true));
        if (Recipe is not null) _rows.Add(Row(nameof(TrainingOptions.Recipe), Recipe, readByTool: true));
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option?[] { Recipe, BatchSize, Epochs, LearningRate, Step, Resume, StartEpoch, Clip, Threads, Momentum, WeightDecay,
                     Data, CheckpointDir, Seed, ClipMode, LossReduction, Optimizer, Warmup, LearningRateDecay, DecayMinutes, Precision, ValDataset, ValScales, NoVal, ValEvery, ValEveryMinutes,
                     CheckpointEvery, CheckpointEveryMinutes, KeepCheckpoints, TimeBudget, Distill })
            if (option is not null) command.Add(option);
    }

    /// <summary>The recipe the command line names (the tool's own options when it offers none).</summary>
    public TrainingRecipe RecipeOf(ParseResult parse) =>
        Recipe is null ? new TrainingRecipe("", _defaults, PrecisionRequest.Fp32, "")
            : TrainingRecipes.Find(parse.GetValue(Recipe)!) ?? throw new VdsrUserException($"--recipe {parse.GetValue(Recipe)}: unknown recipe");

    /// <summary>The training options the command line asks for, validated.</summary>
    public TrainingOptions Read(ParseResult parse, double distillWeight = 0)
    {
        var recipe = RecipeOf(parse);
        var r = recipe.Options;
        var precision = Recipe is not null && !Typed(parse, Precision)
            ? recipe.Precision.Resolve(Core.Runtime.CpuFeatures.HasNativeBf16)
            : PrecisionOption.ResolveForCpu(parse, Precision);
        var options = r with
        {
            Recipe = Recipe is null ? r.Recipe : recipe.Name,
            DistillWeight = distillWeight, Precision = precision,
        };
        foreach (var row in _rows.Where(row => !row.ReadByTool && Typed(parse, row.Option)))
        {
            string text = row.Text(parse);
            options = row.Field.Parse(options, text) ?? throw new VdsrUserException($"{row.Option.Name} {text}: {row.Field.Unparsable}");
        }
        try
        {
            options.Validate();
        }
        catch (TrainingOptionException e)
        {
            string bound = e.Bound is { } b ? $" {FlagOf(b.Option)} ({b.Value})" : "";
            throw new VdsrUserException($"{FlagOf(e.Option)} {e.Value}: {e.Problem}{bound}");
        }
        if (parse.GetValue(NoVal) && (options.ValEverySteps > 0 || options.ValEveryMinutes > 0))
            throw new VdsrUserException($"--no-val turns validation off, so {(options.ValEverySteps > 0 ? "--val-every" : "--val-every-minutes")} would never run: give one or the other");
        if (parse.GetValue(TimeBudget) is string budget) Vdsr.Cli.Training.TimeBudget.Parse(budget); // a bad value fails before any work
        int workers = parse.GetValue(Threads);
        if (workers < 0) throw new VdsrUserException($"--threads {workers}: must be zero (read on the training thread) or more");
        return options;
    }

    private static bool Typed(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>
    /// The training flags the user typed (defaults left out), e.g. "--nEpochs". A recipe named on the
    /// command line counts as giving every option it sets (all but --start-epoch).
    /// </summary>
    public IReadOnlySet<string> Given(ParseResult parse)
    {
        var given = _rows.Where(row => Typed(parse, row.Option)).Select(row => row.Option.Name).ToHashSet();
        if (Recipe is not null && Typed(parse, Recipe))
            given.UnionWith(_rows.Where(row => row.Option != StartEpoch && row.Option != Distill).Select(row => row.Option.Name));
        return given;
    }

    /// <summary>Every row's option as the checkpoint states it, with the flag that sets it; --nEpochs and --start-epoch are the caller's.</summary>
    public IEnumerable<(TrainingOptionField Field, string Flag)> Flags => _rows.Select(row => (row.Field, row.Option.Name));

    /// <summary>One line: the recipe and every setting it resolved to, with the flags that overrode it.</summary>
    public string Describe(ParseResult parse, TrainingOptions options)
    {
        var overridden = _rows.Where(row => !row.ReadByTool || row.Option == Precision).Where(row => Typed(parse, row.Option)).Select(row => row.Option.Name).ToArray();
        string settings = string.Join(" ", _rows.Where(row => Described.Contains(row.Field.Property))
            .Select(row => $"{row.Option.Name} {row.Field.Format(options)}"));
        string head = Recipe is null ? "=> settings:" : $"=> recipe {options.Recipe}:";
        return $"{head} {settings}" + (overridden.Length > 0 ? $" (given on the command line: {string.Join(" ", overridden)})" : "");
    }

    /// <summary>The options the one-line description shows: those that shape every step.</summary>
    private static readonly HashSet<string> Described =
    [
        nameof(TrainingOptions.BatchSize), nameof(TrainingOptions.Epochs), nameof(TrainingOptions.Optimizer), nameof(TrainingOptions.LearningRate),
        nameof(TrainingOptions.Step), nameof(TrainingOptions.LearningRateDecay), nameof(TrainingOptions.DecayMinutes), nameof(TrainingOptions.WarmupSteps),
        nameof(TrainingOptions.Momentum), nameof(TrainingOptions.WeightDecay), nameof(TrainingOptions.LossReduction), nameof(TrainingOptions.ClipMode),
        nameof(TrainingOptions.Clip), nameof(TrainingOptions.Precision),
    ];

    /// <summary>A diverged run's message with the flags of the options it suspects.</summary>
    public VdsrUserException Explain(TrainingDivergedException e) =>
        new($"{e.Message} ({string.Join(", ", e.Suspects.Select(FlagOf))})", e);

    /// <summary>The flag that sets a <see cref="TrainingOptions"/> property (the property's name when no flag does).</summary>
    public string FlagOf(string property) => _rows.FirstOrDefault(row => row.Field.Property == property)?.Option.Name ?? property;

    private static string Text(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
