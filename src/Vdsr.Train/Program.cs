using System.CommandLine;
using System.Globalization;
using TorchSharp;
using Vdsr.Cli;
using Vdsr.Core;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Data;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Training;

var defaults = new TrainingOptions();
var device = new DeviceOptions(threadsIsComputeAlias: false);
var batchSize = new Option<int>("--batchSize") { Description = "Training batch size", DefaultValueFactory = _ => defaults.BatchSize };
var nEpochs = new Option<int>("--nEpochs") { Description = "Number of epochs to train for", DefaultValueFactory = _ => defaults.Epochs };
var lr = new Option<double>("--lr") { Description = "Learning Rate. Default=0.1", DefaultValueFactory = _ => defaults.LearningRate };
var step = new Option<int>("--step") { Description = "Sets the learning rate to the initial LR decayed by momentum every n epochs, Default: n=10", DefaultValueFactory = _ => defaults.Step };
var resume = new Option<string>("--resume") { Description = "Path to checkpoint (default: none)", DefaultValueFactory = _ => "" };
var startEpoch = new Option<int>("--start-epoch") { Description = "Manual epoch number (useful on restarts)", DefaultValueFactory = _ => defaults.StartEpoch };
var clip = new Option<double>("--clip") { Description = "Clipping Gradients. Default=0.4", DefaultValueFactory = _ => defaults.Clip };
var threads = new Option<int>("--threads") { Description = "Number of threads for data loader to use, Default: 1", DefaultValueFactory = _ => 1 };
var momentum = new Option<double>("--momentum") { Description = "Momentum, Default: 0.9", DefaultValueFactory = _ => defaults.Momentum };
var weightDecay = new Option<double>("--weight-decay", "--wd") { Description = "Weight decay, Default: 1e-4", DefaultValueFactory = _ => defaults.WeightDecay };
var pretrained = new Option<string>("--pretrained") { Description = "path to pretrained model (default: none; any checkpoint format, architecture from the file)", DefaultValueFactory = _ => "" };
var data = new Option<string>("--data") { Description = "training HDF5 file with 'data' and 'label' (default: data/train.h5)", DefaultValueFactory = _ => "data/train.h5" };
var checkpointDir = new Option<string>("--checkpoint-dir") { Description = "folder for checkpoints, training_log.csv and training_curves.png (default: checkpoint/)", DefaultValueFactory = _ => "checkpoint" };
var seed = new Option<long>("--seed") { Description = "seed of the weight initialisation and the patch order (default: 0)", DefaultValueFactory = _ => defaults.Seed };
var clipMode = new Option<string>("--clip-mode") { Description = "norm (the original script: global gradient norm) or adjustable (the paper: each gradient clamped to clip/lr)", DefaultValueFactory = _ => "norm" };
clipMode.AcceptOnlyFromAmong("norm", "adjustable");
var valDataset = new Option<string>("--val-dataset") { Description = "validation images after every epoch: a folder of HR images or <name>_x<s>.mat files (default: Set5)", DefaultValueFactory = _ => "Set5" };
var valScales = new Option<string?>("--val-scales") { Description = "validation scales, a comma list (default: 2,3,4)" };
var noVal = new Option<bool>("--no-val") { Description = "skip the validation after every epoch" };
var timeBudget = new Option<string?>("--time-budget") { Description = "stop after the step that exceeds this many minutes (or a duration such as 00:30:00), save a checkpoint and exit 0" };

var root = new RootCommand("PyTorch VDSR training (main_vdsr.py): SGD on HDF5 patches, a resumable checkpoint per epoch, a CSV log and curves")
{
    batchSize, nEpochs, lr, step, resume, startEpoch, clip, threads, momentum, weightDecay, pretrained,
    data, checkpointDir, seed, clipMode, valDataset, valScales, noVal, timeBudget,
};
device.AddTo(root);

return CliApp.Run(root, args, (parse, token) =>
{
    using var budget = CancellationTokenSource.CreateLinkedTokenSource(token);
    if (parse.GetValue(timeBudget) is string budgetText) budget.CancelAfter(TimeBudget.Parse(budgetText));
    var requested = new TrainingOptions
    {
        BatchSize = parse.GetValue(batchSize), Epochs = parse.GetValue(nEpochs), StartEpoch = parse.GetValue(startEpoch),
        LearningRate = parse.GetValue(lr), Step = parse.GetValue(step), Clip = parse.GetValue(clip),
        ClipMode = parse.GetValue(clipMode) == "adjustable" ? ClipMode.Adjustable : ClipMode.Norm,
        Momentum = parse.GetValue(momentum), WeightDecay = parse.GetValue(weightDecay), Seed = parse.GetValue(seed),
    };
    requested.Validate();
    int workers = parse.GetValue(threads);
    if (workers < 0) throw new VdsrUserException($"--threads {workers}: must be zero (read on the training thread) or more");
    string resumePath = parse.GetValue(resume)!, pretrainedPath = parse.GetValue(pretrained)!;
    if (resumePath.Length > 0 && pretrainedPath.Length > 0)
        throw new VdsrUserException("--resume and --pretrained cannot be combined (a resumed run continues from its own weights)");
    var torchDevice = device.Resolve(parse);

    Console.WriteLine("===> Loading datasets");
    using var source = HdfPatchDataset.Open(BundledPaths.Resolve(parse.GetValue(data)!), new HdfPatchDatasetOptions { Seed = requested.Seed, Workers = workers });
    var validation = parse.GetValue(noVal) ? null
        : new EvalDataset(BundledPaths.Resolve(parse.GetValue(valDataset)!), ScaleList.Parse(parse.GetValue(valScales), [2, 3, 4]));

    Console.WriteLine("===> Building model");
    var resumeState = resumePath.Length > 0 ? TrainingSession.LoadResumable(resumePath) : null;
    StateDict? pretrainedState = null;
    if (pretrainedPath.Length > 0)
    {
        if (!File.Exists(pretrainedPath)) throw new VdsrUserException($"{pretrainedPath}: no model found");
        pretrainedState = CheckpointFile.Load(pretrainedPath);
    }
    using var net = TrainingSession.BuildNetwork(resumeState, resumePath, pretrainedState, pretrainedPath, requested.Seed);
    net.to(torchDevice);

    Console.WriteLine("===> Setting Optimizer");
    var given = root.Options.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet();
    using var trainer = resumeState is null
        ? new Trainer(net, source, requested)
        : Trainer.Resume(net, source, resumeState, resumePath, stored => ResumedOptions.Reconcile(stored, requested, given, resumePath));
    if (resumeState is not null)
        Console.WriteLine($"=> resuming {resumePath} at epoch {trainer.Position.Epoch}, iteration {trainer.Position.BatchesDone}");

    Console.WriteLine("===> Training");
    var session = new TrainingSession(trainer, source, parse.GetValue(checkpointDir)!, validation, torchDevice);
    ProgressBar? bar = null;
    long barStart = 0;
    session.EpochStarting = (position, total) =>
    {
        barStart = position.BatchesDone;
        bar = new ProgressBar($"Epoch {position.Epoch}", total - barStart, "step");
    };
    session.StepDone = p =>
    {
        bar?.Report(p.Iteration - barStart, string.Create(CultureInfo.InvariantCulture, $"loss {p.Loss:G5} {p.PatchesPerSecond:F1} patches/s"));
        if (p.IsOriginalLogIteration) WriteLine(p.OriginalLogLine);
    };
    session.EpochTrained = _ =>
    {
        bar?.Complete();
        bar?.Dispose();
        bar = null;
    };
    session.Message = WriteLine;
    try
    {
        var outcome = session.Run(appendLog: resumeState is not null, budget.Token);
        if (outcome == TrainingOutcome.Cancelled)
            Console.WriteLine(token.IsCancellationRequested ? "===> Stopped on request" : "===> Stopped: the time budget is spent");
    }
    finally
    {
        bar?.Dispose();
    }
    return 0;

    void WriteLine(string line)
    {
        if (bar is not null && !Console.IsErrorRedirected) Console.Error.Write("\r\u001b[K"); // clear the redrawn bar first
        Console.WriteLine(line);
    }
});
