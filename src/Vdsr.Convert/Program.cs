using System.CommandLine;
using Vdsr.Cli;
using Vdsr.Core;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Onnx;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;

var input = new Argument<string>("input") { Description = "checkpoint to read (.pth legacy or zip, .safetensors, or this toolkit's format; or a bundled model by name: original, pruned, pruned-onnx, pruned-int8)" };
var output = new Argument<string>("output") { Description = "file to write" };
var format = new Option<string>("--format")
{
    Description = "vdsr (this toolkit's format: weights, architecture, epoch, optimizer state), safetensors (weights and metadata only), "
                  + "onnx (float32 ONNX model for ONNX Runtime and other runtimes) or onnx-int8 (QDQ int8 ONNX model, activations calibrated on --calibration)",
    DefaultValueFactory = _ => "vdsr",
};
format.AcceptOnlyFromAmong("vdsr", "safetensors", "onnx", "onnx-int8");
var opset = new Option<int>("--opset")
{
    Description = $"ONNX operator set, {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset} (default: {OnnxExportOptions.DefaultOpset}; 13 for older runtimes)",
    DefaultValueFactory = _ => OnnxExportOptions.DefaultOpset,
};
var calibration = new Option<string>("--calibration")
{
    Description = $"onnx-int8: inputs to calibrate the activation ranges on: a training .h5 file or a folder of images (default: {CalibrationOptions.DefaultSet})",
    DefaultValueFactory = _ => CalibrationOptions.DefaultSet,
};
var calibrationSamples = new Option<int>("--calibration-samples")
{
    Description = $"onnx-int8: at most this many patches or images (default: {CalibrationOptions.DefaultSamples})",
    DefaultValueFactory = _ => CalibrationOptions.DefaultSamples,
};
var weightsOnly = new Option<bool>("--weights-only")
{
    Description = "vdsr or safetensors: keep the weights and the model's record (epoch, pruning), not a training checkpoint's optimizer state, position and options (a model to ship)",
};
var threads = new Option<int>("--threads")
{
    Description = $"onnx-int8: ONNX Runtime threads for calibration (default: {TorchRuntime.DefaultComputeThreads})",
    DefaultValueFactory = _ => TorchRuntime.DefaultComputeThreads,
};

var root = new RootCommand(CliApp.Describe("Convert a VDSR checkpoint between formats, or export it to ONNX (float32 or int8)",
    "vdsr-convert models/model_epoch_50.pth model.safetensors --format safetensors",
    "vdsr-convert models/model_epoch_50.pth vdsr.onnx --format onnx",
    "vdsr-convert models/model_epoch_50.pth vdsr-int8.onnx --format onnx-int8 --calibration data/train.h5"))
    { input, output, format, opset, calibration, calibrationSamples, weightsOnly, threads };

return CliApp.Run(root, args, (parse, _) =>
{
    string from = ModelOption.Resolve(parse.GetValue(input)!), to = parse.GetValue(output)!;
    string formatName = parse.GetValue(format)!;
    var sourceFormat = CheckpointFile.DetectFormat(from);
    if (formatName is "onnx" or "onnx-int8")
    {
        var state = CheckpointFile.Load(from);
        int opsetVersion = parse.GetValue(opset);
        if (opsetVersion < OnnxExportOptions.MinOpset || opsetVersion > OnnxExportOptions.MaxOpset)
            throw new VdsrUserException($"--opset {opsetVersion}: expected {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset}");
        var options = new OnnxExportOptions { Opset = opsetVersion, SourceModel = Path.GetFileName(from) };
        OnnxVdsrModel written;
        if (formatName == "onnx")
            written = OnnxModelFile.Write(to, OnnxExporter.Export(state, from, options));
        else
        {
            var set = CalibrationOptions.Load(parse.GetValue(calibration)!, parse.GetValue(calibrationSamples));
            Console.WriteLine($"Calibrating on {set.Description}");
            using var bar = new ProgressBar("Calibrating", set.Batches.Count, "batch");
            var model = Int8Exporter.Export(state, from, set, options, CalibrationOptions.Threads(parse.GetValue(threads)), (done, _) => bar.Report(done, ""));
            bar.Complete();
            written = OnnxModelFile.Write(to, model);
        }
        Console.WriteLine($"{from} ({sourceFormat}, {written.Architecture}) -> {to} (ONNX opset {written.Opset}, {written.Precision}, {new FileInfo(to).Length} bytes)");
        return 0;
    }
    var target = formatName == "safetensors" ? CheckpointFormat.Safetensors : CheckpointFormat.Vdsr;
    var converted = CheckpointFile.Load(from);
    CheckpointFile.Export(to, parse.GetValue(weightsOnly) ? TrainingState.ModelOnly(converted) : converted, target);
    Console.WriteLine($"{from} ({sourceFormat}, {converted.Count} tensors{(converted.Epoch is int e ? $", epoch {e}" : "")}) -> {to} ({target})");
    return 0;
});
