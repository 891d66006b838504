using System.CommandLine;
using TorchSharp;
using Vdsr.Cli;
using Vdsr.Cli.Training;
using Vdsr.Core;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;

var device = new DeviceOptions(threadsIsComputeAlias: false, TorchWorkload.Training);
var flags = new TrainingFlags(TrainingRecipes.Original.Options, "checkpoint",
    "stop after the step that exceeds this many minutes (or a duration such as 00:30:00), save a checkpoint and exit 0", offerRecipes: true);
var pretrained = new Option<string>("--pretrained") { Description = "path to pretrained model (default: none; any checkpoint format, architecture from the file; or a bundled model by name: original, pruned, pruned-onnx, pruned-int8)", DefaultValueFactory = _ => "" };

var root = new RootCommand(CliApp.Describe("PyTorch VDSR training (main_vdsr.py): SGD on HDF5 patches, a resumable checkpoint per epoch, a CSV log and curves",
    "vdsr-train --nEpochs 1 --batchSize 16", "vdsr-train --recipe fast --data data/train_291.h5 --time-budget 30", "vdsr-train --resume checkpoint/model_epoch_1.safetensors"));
flags.AddTo(root);
root.Add(pretrained);
device.AddTo(root);

return CliApp.Run(root, args, (parse, token) =>
{
    var requested = flags.Read(parse);
    var workflow = new TrainingWorkflow(flags, parse);
    string pretrainedPath = parse.GetValue(pretrained)!;
    if (workflow.ResumePath.Length > 0 && pretrainedPath.Length > 0)
        throw new VdsrUserException("--resume and --pretrained cannot be combined (a resumed run continues from its own weights)");
    var torchDevice = device.Resolve(parse);
    var resumeState = workflow.LoadResumeState();
    using var data = workflow.OpenData(requested, resumeState);

    Console.WriteLine("===> Building model");
    StateDict? pretrainedState = null;
    if (pretrainedPath.Length > 0)
    {
        if (ModelOption.Names.ContainsKey(pretrainedPath)) pretrainedPath = ModelOption.Resolve(pretrainedPath); // a file of that name still wins
        if (!File.Exists(pretrainedPath)) throw new VdsrUserException($"{pretrainedPath}: no model found");
        pretrainedState = CheckpointFile.Load(pretrainedPath);
    }
    using var net = TrainingSession.BuildNetwork(resumeState, workflow.ResumePath, pretrainedState, pretrainedPath, requested.Seed);
    net.to(torchDevice);

    workflow.Run(data, net, requested, resumeState, pretrainedState, torchDevice, token);
    return 0;
});
