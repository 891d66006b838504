using System.CommandLine;
using System.Globalization;
using Vdsr.Cli;
using Vdsr.Cli.Pruning;
using Vdsr.Cli.Training;
using Vdsr.Core;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;

var device = new DeviceOptions(threadsIsComputeAlias: false, TorchWorkload.Training);
var model = ModelOption.Create("model to prune");
var pruner = new Option<string>("--pruner") { Description = "filter criterion l1 (NNI's L1NormPruner), l2, fpgm (geometric median), or level (unstructured magnitude masking: no shrink, no speed-up); default: l1", DefaultValueFactory = _ => "l1" };
pruner.AcceptOnlyFromAmong(EnumNames.All<PruningMethod>());
var sparsity = new Option<double>("--sparsity") { Description = "fraction of each selected layer's filters to remove, int(sparsity x filters) of them (default: 0.5)", DefaultValueFactory = _ => 0.5 };
var sparsityPerLayer = new Option<double?>("--sparsity-per-layer") { Description = "NNI's name for --sparsity" };
var totalSparsity = new Option<double?>("--total-sparsity") { Description = "one ranking across the selected layers removes this fraction of their weights (uneven widths; each layer keeps at least one filter unless --max-sparsity-per-layer allows it)" };
var maxPerLayer = new Option<double?>("--max-sparsity-per-layer") { Description = "with --total-sparsity: the most any one layer may lose (default 0.99, as NNI)" };
var opTypes = ListOption("--op-types", "module types to prune (default: Conv2d; 'default' also selects VDSR's convs)");
var opNames = ListOption("--op-names", "module names to prune, e.g. input,residual_layer.3.conv,output (default: all selected by --op-types)");
var opPartialNames = ListOption("--op-partial-names", "prune the modules whose names contain one of these, e.g. residual_layer");
var exclude = ListOption("--exclude", "module names never to prune (a later NNI exclude rule)");
var mode = new Option<string>("--mode") { Description = "normal or dependency_aware for l1/l2/fpgm (the same for VDSR, whose convs share no channels); normal or balance for level (default: normal)", DefaultValueFactory = _ => PruningSettings.NormalMode };
mode.AcceptOnlyFromAmong(PruningSettings.NormalMode, PruningSettings.DependencyAwareMode, PruningSettings.BalanceMode);
var balanceGran = new Option<string?>("--balance-gran") { Description = "level pruner in balance mode: block sizes over the weight's last dimensions, a comma list (e.g. 3 or 3,3)" };
var config = new Option<string?>("--config") { Description = "an NNI config_list as JSON, e.g. [{\"sparsity\": 0.5, \"op_types\": [\"Conv2d\"]}] (replaces the sparsity and selection flags)" };
var output = new Option<string>("--output", "-o") { Description = "the pruned model, a safetensors checkpoint with its widths and pruning settings (default: pruned/vdsr_pruned.safetensors); rewritten after each recovery step", DefaultValueFactory = _ => "pruned/vdsr_pruned.safetensors" };
var reconstruct = new Option<bool>("--reconstruct") { Description = "refit each pruned layer by least squares to the unpruned network's outputs on sample patches of --data (no labels needed; seconds to minutes)" };
var samples = new Option<int>("--reconstruct-samples") { Description = "patches of --data used by --reconstruct (default: 2048)", DefaultValueFactory = _ => 2048 };
var teacherCache = new Option<string?>("--teacher-cache")
{
    Description = "with --distill: compute the unpruned model's outputs for every training patch once into FILE (default: beside --data, train.h5 -> train.teacher.h5; reused while the model and the file match), so that a step costs no teacher forward",
    Arity = ArgumentArity.ZeroOrOne,
};
var distill = new Option<double?>("--distill") { Description = "fine-tune towards the unpruned model's output too: target = (1-W) label + W teacher (W default 0.5 when the flag has no value)", Arity = ArgumentArity.ZeroOrOne };
var dataset = new Option<string>("--dataset") { Description = "report's evaluation set (default: Set5; image folders use the cumulative modcrop of the original's .mat files)", DefaultValueFactory = _ => "Set5" };
var scale = new Option<string?>("--scale") { Description = "report's scales (default: 2,3,4)" };
var noEval = new Option<bool>("--no-eval") { Description = "leave the quality columns out of the report" };
var timingRepeats = new Option<int>("--timing-repeats") { Description = "forward timing of original vs pruned on 256x256: best of this many after a warm-up (0: skip; default 3)", DefaultValueFactory = _ => 3 };
var conv = ConvOption.Create();
var json = new Option<string?>("--json") { Description = "also write the report as JSON to this file" };

var recipe = FineTuneRecipe.Options;
var training = new TrainingFlags(recipe, "pruned/checkpoint",
    "fine-tune until reconstruction plus fine-tuning have taken this many minutes (or a duration such as 01:00:00); evaluations do not count",
    distill: distill);

var root = new RootCommand(CliApp.Describe(
    "Prune VDSR with NNI's filter pruners (L1 by default) and really shrink it, then optionally recover: --reconstruct " +
    "(least squares, no labels) and fine-tuning (on with --nEpochs or --time-budget; vdsr-train's flags and checkpoints; " +
    $"this tool's recipe: {FineTuneRecipe.Description}), with --distill from the unpruned model. Prints a report.",
    "vdsr-prune --sparsity 0.5", "vdsr-prune --sparsity 0.5 --reconstruct --time-budget 10"))
{
    model, pruner, sparsity, sparsityPerLayer, totalSparsity, maxPerLayer, opTypes, opNames, opPartialNames, exclude, mode, balanceGran,
    config, output, reconstruct, samples, teacherCache, dataset, scale, noEval, timingRepeats, conv, json,
};
training.AddTo(root);
device.AddTo(root);

return CliApp.Run(root, args, (parse, token) =>
{
    var settings = new PruningSettings
    {
        Method = EnumNames.Parse<PruningMethod>(parse.GetValue(pruner)!)!.Value,
        Config = ReadConfig(parse),
        Mode = parse.GetValue(mode)!,
        BalanceGranularity = parse.GetValue(balanceGran) is string g ? Integers("--balance-gran", g) : null,
    };
    settings.Validate();
    bool distillGiven = parse.GetResult(distill) is { Implicit: false };
    double distillWeight = distillGiven ? parse.GetValue(distill) ?? 0.5 : 0;
    bool fineTune = parse.GetResult(training.Epochs) is { Implicit: false } || parse.GetValue(training.TimeBudget) is not null
                    || parse.GetValue(training.Resume) is { Length: > 0 };
    if (distillGiven && !fineTune) throw new VdsrUserException("--distill needs fine-tuning: give --nEpochs or --time-budget");
    bool cacheGiven = parse.GetResult(teacherCache) is { Implicit: false };
    if (cacheGiven && !distillGiven) throw new VdsrUserException("--teacher-cache caches the teacher of --distill: give --distill too");
    if (parse.GetValue(samples) < 1) throw new VdsrUserException($"--reconstruct-samples {parse.GetValue(samples)}: must be at least 1");
    if (parse.GetValue(timingRepeats) < 0) throw new VdsrUserException($"--timing-repeats {parse.GetValue(timingRepeats)}: must be zero or more");
    var requested = fineTune ? training.Read(parse, distillWeight) : null; // bad training flags fail before any work
    var workflow = new TrainingWorkflow(training, parse);
    var torchDevice = device.Resolve(parse);
    var reportPrecision = PrecisionOption.Resolve(parse, training.Precision, torchDevice);
    string? dataPath = fineTune || parse.GetValue(reconstruct) ? BundledPaths.Resolve(parse.GetValue(training.Data)!, "training file") : null;
    var resumeState = workflow.LoadResumeState();
    var request = new PruneRequest
    {
        ModelPath = ModelOption.Resolve(parse.GetValue(model)!),
        Settings = settings,
        OutputPath = parse.GetValue(output)!,
        Device = torchDevice,
        Reconstruct = parse.GetValue(reconstruct),
        ReconstructSamples = parse.GetValue(samples),
        TrainingDataPath = dataPath,
        Seed = parse.GetValue(training.Seed),
        FineTune = requested is null ? null : new PruneFineTuning
        {
            Options = requested,
            ResumeState = resumeState,
            ResumePath = workflow.ResumePath,
            AdjustResumed = workflow.AdjustResumed(requested),
            CheckpointFolder = workflow.CheckpointFolder,
            KeepCheckpoints = workflow.KeepCheckpoints,
            ValidationFolder = workflow.ValidationFolder,
            ValidationScales = workflow.ValidationScales,
            Workers = parse.GetValue(training.Threads),
            TeacherCachePath = !cacheGiven ? null : parse.GetValue(teacherCache) ?? TeacherCache.DefaultPath(dataPath!),
        },
        TimeBudget = workflow.TimeBudget,
        DatasetFolder = parse.GetValue(noEval) ? null : BundledPaths.Resolve(parse.GetValue(dataset)!, "dataset folder"),
        Scales = ScaleList.Parse(parse.GetValue(scale), [2, 3, 4]),
        TimingRepeats = parse.GetValue(timingRepeats),
        JsonPath = parse.GetValue(json),
        ReportPlan = new ConvPlan(reportPrecision, ConvOption.Resolve(parse, conv, reportPrecision, torchDevice)),
    };
    using var stages = new ConsoleStages();
    using var console = new ConsoleTrainingProgress(workflow.KeepCheckpoints);
    var events = new PrunePipelineEvents
    {
        Message = console.WriteLine,
        StageStarted = stages.Start, StageProgress = stages.Report, StageEnded = stages.End,
        Training = console.Events, TrainingStarting = workflow.Announce(resumeState is not null),
    };
    PruneReport report;
    try
    {
        report = new PrunePipeline(request, events).Run(token);
    }
    catch (TrainingDivergedException e) when (e.Suspects.Count > 0)
    {
        throw training.Explain(e);
    }
    Console.WriteLine(report.ToTable());
    return 0;
});

PruneConfig ReadConfig(ParseResult parse)
{
    var selectionFlags = new Option[] { sparsity, sparsityPerLayer, totalSparsity, maxPerLayer, opTypes, opNames, opPartialNames, exclude };
    if (parse.GetValue(config) is string path)
    {
        if (selectionFlags.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } clash)
            throw new VdsrUserException($"{clash.Name} cannot be combined with --config (the config file selects the layers and sparsities)");
        return PruneConfig.Load(path);
    }
    bool sparsityGiven = parse.GetResult(sparsity) is { Implicit: false };
    double? perLayer = parse.GetValue(sparsityPerLayer), total = parse.GetValue(totalSparsity);
    if (new[] { sparsityGiven, perLayer is not null, total is not null }.Count(x => x) > 1)
        throw new VdsrUserException("give one of --sparsity, --sparsity-per-layer and --total-sparsity");
    var rule = new PruneRule
    {
        SparsityPerLayer = total is null ? perLayer ?? parse.GetValue(sparsity) : null,
        TotalSparsity = total,
        MaxSparsityPerLayer = parse.GetValue(maxPerLayer),
        OpTypes = Names(parse, opTypes) ?? [PrunableLayers.ConvType],
        OpNames = Names(parse, opNames),
        OpPartialNames = Names(parse, opPartialNames),
    };
    var rules = new List<PruneRule> { rule };
    if (Names(parse, exclude) is { } excluded) rules.Add(new PruneRule { Exclude = true, OpNames = excluded });
    return new PruneConfig(rules, "pruning flags (rule 1: the sparsity flags, rule 2: --exclude)");
}

static Option<string[]> ListOption(string name, string description) =>
    new(name) { Description = description + "; a comma list or repeated", AllowMultipleArgumentsPerToken = true };

static IReadOnlyList<string>? Names(ParseResult parse, Option<string[]> option) =>
    parse.GetValue(option) is { Length: > 0 } values
        ? values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray()
        : null;

static IReadOnlyList<int> Integers(string flag, string text) =>
    text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new VdsrUserException($"{flag} '{text}': expected integers such as 3 or 3,3"))
        .ToArray();
