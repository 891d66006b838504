using System.CommandLine;
using Vdsr.Cli;
using Vdsr.Core;
using Vdsr.Core.Checkpoints;

var input = new Argument<string>("input") { Description = "checkpoint to read (.pth legacy or zip, .safetensors, or this toolkit's format)" };
var output = new Argument<string>("output") { Description = "file to write" };
var format = new Option<string>("--format")
{
    Description = "vdsr (this toolkit's format: weights, architecture, epoch, optimizer state) or safetensors (weights and metadata only)",
    DefaultValueFactory = _ => "vdsr",
};
format.AcceptOnlyFromAmong("vdsr", "safetensors");

var root = new RootCommand(CliApp.Describe("Convert a VDSR checkpoint between formats",
    "vdsr-convert models/model_epoch_50.pth model.safetensors --format safetensors")) { input, output, format };

return CliApp.Run(root, args, (parse, _) =>
{
    string from = parse.GetValue(input)!, to = parse.GetValue(output)!;
    if (!File.Exists(from)) throw new VdsrUserException($"{from}: file not found");
    var target = parse.GetValue(format) == "safetensors" ? CheckpointFormat.Safetensors : CheckpointFormat.Vdsr;
    var sourceFormat = CheckpointFile.DetectFormat(from);
    var state = CheckpointFile.Convert(from, to, target);
    Console.WriteLine($"{from} ({sourceFormat}, {state.Count} tensors{(state.Epoch is int e ? $", epoch {e}" : "")}) -> {to} ({target})");
    return 0;
});
