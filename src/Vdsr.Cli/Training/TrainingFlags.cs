using System.CommandLine;
using Vdsr.Core;
using Vdsr.Core.Model;
using Vdsr.Core.Training;

namespace Vdsr.Cli.Training;

/// <summary>
/// main_vdsr.py's training flags (same names and meanings) plus this toolkit's, shared by
/// vdsr-train and the fine-tuning of vdsr-prune. Defaults come from the tool's recipe.
/// </summary>
public sealed class TrainingFlags
{
    public Option<int> BatchSize { get; }
    public Option<int> Epochs { get; }
    public Option<double> LearningRate { get; }
    public Option<int> Step { get; }
    public Option<string> Resume { get; } = new("--resume") { Description = "Path to checkpoint (default: none)", DefaultValueFactory = _ => "" };
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

    /// <summary>Convs of the training steps (and, in vdsr-prune, of the report).</summary>
    public Option<string> Precision { get; } = PrecisionOption.Create(PrecisionRequest.Fp32);

    private readonly Option[] _trainingOptions;

    /// <param name="defaults">The recipe's option values.</param>
    /// <param name="checkpointDir">Default checkpoint folder.</param>
    /// <param name="timeBudgetDescription">What --time-budget stops in this tool.</param>
    public TrainingFlags(TrainingOptions defaults, string checkpointDir, string timeBudgetDescription)
    {
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
        var mode = defaults.ClipMode.ToString().ToLowerInvariant();
        ClipMode = new("--clip-mode") { Description = $"norm (the original script: global gradient norm) or adjustable (the paper: each gradient clamped to clip/lr); default: {mode}", DefaultValueFactory = _ => mode };
        ClipMode.AcceptOnlyFromAmong("norm", "adjustable");
        TimeBudget = new("--time-budget") { Description = timeBudgetDescription };
        _trainingOptions = [BatchSize, Epochs, LearningRate, Step, StartEpoch, Clip, Momentum, WeightDecay, Seed, ClipMode, Precision];
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { BatchSize, Epochs, LearningRate, Step, Resume, StartEpoch, Clip, Threads, Momentum, WeightDecay,
                     Data, CheckpointDir, Seed, ClipMode, Precision, ValDataset, ValScales, NoVal, TimeBudget })
            command.Add(option);
    }

    /// <summary>The training options the command line asks for, validated.</summary>
    public TrainingOptions Read(ParseResult parse, double distillWeight = 0)
    {
        var options = new TrainingOptions
        {
            BatchSize = parse.GetValue(BatchSize), Epochs = parse.GetValue(Epochs), StartEpoch = parse.GetValue(StartEpoch),
            LearningRate = parse.GetValue(LearningRate), Step = parse.GetValue(Step), Clip = parse.GetValue(Clip),
            ClipMode = parse.GetValue(ClipMode) == "adjustable" ? Core.Training.ClipMode.Adjustable : Core.Training.ClipMode.Norm,
            Momentum = parse.GetValue(Momentum), WeightDecay = parse.GetValue(WeightDecay), Seed = parse.GetValue(Seed),
            DistillWeight = distillWeight, Precision = PrecisionOption.ResolveForCpu(parse, Precision),
        };
        try
        {
            options.Validate();
        }
        catch (TrainingOptionException e)
        {
            string bound = e.Bound is { } b ? $" {FlagOf(b.Option)} ({b.Value})" : "";
            throw new VdsrUserException($"{FlagOf(e.Option)} {e.Value}: {e.Problem}{bound}");
        }
        if (parse.GetValue(TimeBudget) is string budget) Vdsr.Cli.Training.TimeBudget.Parse(budget); // a bad value fails before any work
        int workers = parse.GetValue(Threads);
        if (workers < 0) throw new VdsrUserException($"--threads {workers}: must be zero (read on the training thread) or more");
        return options;
    }

    /// <summary>The training flags the user typed (defaults left out), e.g. "--nEpochs".</summary>
    public IReadOnlySet<string> Given(ParseResult parse, params Option[] more) =>
        _trainingOptions.Concat(more).Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet();

    /// <summary>The flag that sets a <see cref="TrainingOptions"/> property.</summary>
    public static string FlagOf(string option) => option switch
    {
        nameof(TrainingOptions.BatchSize) => "--batchSize",
        nameof(TrainingOptions.Epochs) => "--nEpochs",
        nameof(TrainingOptions.StartEpoch) => "--start-epoch",
        nameof(TrainingOptions.LearningRate) => "--lr",
        nameof(TrainingOptions.Step) => "--step",
        nameof(TrainingOptions.Clip) => "--clip",
        nameof(TrainingOptions.ClipMode) => "--clip-mode",
        nameof(TrainingOptions.Momentum) => "--momentum",
        nameof(TrainingOptions.WeightDecay) => "--weight-decay",
        nameof(TrainingOptions.Seed) => "--seed",
        nameof(TrainingOptions.DistillWeight) => "--distill",
        nameof(TrainingOptions.Precision) => "--precision",
        _ => option,
    };

    private static string Text(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
