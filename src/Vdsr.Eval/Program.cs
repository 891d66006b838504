using System.CommandLine;
using Vdsr.Cli;
using Vdsr.Core;
using Vdsr.Core.Evaluation;
using Vdsr.Core.IO;
using Vdsr.Core.Model;

var network = new NetworkOptions(PrecisionRequest.Fp32);
var dataset = new Option<string>("--dataset")
{
    Description = "dataset name (a folder next to the tool, e.g. Set5) or path: a folder of HR images or of <name>_x<s>.mat files",
    DefaultValueFactory = _ => "Set5",
};
var scale = new Option<string?>("--scale") { Description = "scale factor(s): 2, 3, 4 or a comma list (default: 2,3,4)" };
var cumulative = new Option<bool>("--cumulative-modcrop")
{
    Description = "crop x3 from the x2 crop and x4 from the x3 crop, as the original generate_test_mat.m (reproduces the published Set5 numbers from BMPs)",
};
var json = new Option<string?>("--json") { Description = "also write the results as JSON to this file" };
var verbose = new Option<bool>("--verbose", "-v") { Description = "print a row per image" };

var root = new RootCommand(CliApp.Describe("PyTorch VDSR Eval: PSNR/SSIM of VDSR and bicubic on the Y channel, as eval.py",
    "vdsr-eval --dataset Set5", "vdsr-eval --model checkpoint/model_epoch_50.safetensors --scale 4 --verbose",
    "vdsr-eval --model vdsr-int8.onnx")) { dataset, scale, cumulative, json, verbose };
network.AddTo(root);

return CliApp.Run(root, args, (parse, token) =>
{
    var scales = ScaleList.Parse(parse.GetValue(scale), [2, 3, 4]);
    var data = new EvalDataset(BundledPaths.Resolve(parse.GetValue(dataset)!, "dataset folder"), scales, parse.GetValue(cumulative));
    var skipped = new SkippedInputs(root.Name, data.InputCount);
    data.ScreenImages(skipped.Report); // headers only, before libtorch and the network load
    using var running = network.Load(parse);
    var evaluator = new Evaluator(running.Upscaler);

    EvalReport report;
    using (var bar = new ProgressBar("Evaluating", data.Count, "img"))
    {
        int done = 0;
        report = evaluator.Run(data, r => bar.Report(++done, $"{r.Name} x{r.Scale} {r.PsnrVdsr:F2} dB"), token, skipped.Report);
        bar.Complete();
    }
    Console.WriteLine(report.ToTable(parse.GetValue(verbose)));
    if (parse.GetValue(json) is string jsonPath)
    {
        AtomicFile.WriteAllText(jsonPath, report.ToJson());
        Console.WriteLine($"Wrote {jsonPath}");
    }
    skipped.ThrowIfAny(data.IsMatFolder ? ".mat files" : "images");
    return 0;
});
