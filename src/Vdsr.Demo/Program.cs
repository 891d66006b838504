using System.CommandLine;
using System.Globalization;
using Vdsr.Cli;
using Vdsr.Core;
using Vdsr.Core.Imaging;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using Vdsr.Demo;
using Vdsr.Core.Drawing;

var network = new NetworkOptions(PrecisionRequest.Auto);
var image = new Option<string>("--image")
{
    Description = "a Set5 image name (reads Set5/<image>.bmp and Set5/<image>_scale_<s>.bmp), or the path of an image or folder to upscale",
    DefaultValueFactory = _ => "butterfly_GT",
};
var scale = new Option<int>("--scale") { Description = "scale factor, 2..8 (default: 4)", DefaultValueFactory = _ => 4 };
var output = new Option<string>("--output") { Description = "output folder (default: result/)", DefaultValueFactory = _ => "result" };
var compare = new Option<bool>("--compare") { Description = "for image paths, also write a bicubic | VDSR comparison strip" };
var set5 = new Option<string>("--set5") { Description = "folder of the Set5 images (default: the bundled Set5/)", DefaultValueFactory = _ => "Set5" };
var maxPixels = new Option<long>("--max-pixels")
{
    Description = $"refuse images (input or result) with more pixels than this (default: {ImageFile.DefaultMaxPixels})",
    DefaultValueFactory = _ => ImageFile.DefaultMaxPixels,
};

var root = new RootCommand(CliApp.Describe("PyTorch VDSR Demo: upscale a Set5 image (with PSNRs) or any image",
    "vdsr-demo --image butterfly_GT --scale 4", "vdsr-demo --image photo.jpg --scale 3 --output result",
    "vdsr-demo --image photo.jpg --model vdsr-int8.onnx")) { image, scale, output, compare, set5, maxPixels };
network.AddTo(root);

return CliApp.Run(root, args, (parse, token) =>
{
    int s = ScaleList.Check(parse.GetValue(scale));
    string imageArg = parse.GetValue(image)!;
    string outputFolder = parse.GetValue(output)!;
    string set5Folder = BundledPaths.Resolve(parse.GetValue(set5)!, "Set5 folder");
    bool isSet5 = Set5Demo.IsSet5Name(set5Folder, imageArg, s);
    var inputs = isSet5 ? [] : ImageUpscaleJob.Inputs(imageArg);
    // Headers first, before libtorch and the network load: a bad file costs nothing.
    int inputCount = inputs.Count;
    var skipped = new SkippedInputs(root.Name, inputCount);
    inputs = inputs.Where(path => skipped.TryRun(path, () => ImageUpscaleJob.CheckHeader(path, s, parse.GetValue(maxPixels)))).ToList();
    if (!isSet5 && inputs.Count == 0) throw new VdsrUserException($"{imageArg}: none of its {inputCount} images can be read");

    using var running = network.Load(parse);
    Console.WriteLine(running.Description);
    var upscaler = running.Upscaler;

    if (isSet5)
    {
        var result = Set5Demo.Run(upscaler, set5Folder, imageArg, s);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"Scale= {s}"));
        Console.WriteLine(string.Create(inv, $"PSNR_predicted= {result.PsnrVdsr:F6}"));
        Console.WriteLine(string.Create(inv, $"PSNR_bicubic= {result.PsnrBicubic:F6}"));
        Console.WriteLine(string.Create(inv, $"It takes {result.Seconds:F3}s for processing"));
        Vdsr.Core.IO.Folders.Create(outputFolder, "output folder"); // only once the images have loaded
        string stem = Path.Combine(outputFolder, $"{imageArg}_x{s}");
        ImageFile.Save(stem + "_gt.png", result.GroundTruth);
        ImageFile.Save(stem + "_bicubic.png", result.Bicubic);
        ImageFile.Save(stem + "_vdsr.png", result.Vdsr);
        ComparisonStrip.SavePng(
        [
            new StripPanel(result.GroundTruth, "Ground truth"),
            new StripPanel(result.Bicubic, string.Create(inv, $"Bicubic {result.PsnrBicubic:F2} dB")),
            new StripPanel(result.Vdsr, string.Create(inv, $"VDSR {result.PsnrVdsr:F2} dB")),
        ], stem + "_compare.png");
        Console.WriteLine($"Wrote {stem}_gt.png, {stem}_bicubic.png, {stem}_vdsr.png and {stem}_compare.png");
        return 0;
    }

    var job = new ImageUpscaleJob
    {
        Upscaler = upscaler, Scale = s, OutputFolder = outputFolder,
        Compare = parse.GetValue(compare), MaxPixels = parse.GetValue(maxPixels),
    };
    bool single = inputCount == 1;
    using (var bar = new ProgressBar(single ? "Upscaling" : "Images", single ? 1 : inputs.Count, single ? "tile" : "img"))
    {
        for (int i = 0; i < inputs.Count; i++)
        {
            token.ThrowIfCancellationRequested();
            LoadedImage? loaded = null;
            if (!skipped.TryRun(inputs[i], () => loaded = job.Load(inputs[i]))) continue;
            var written = single
                ? job.Upscale(inputs[i], loaded!, (done, total) => bar.Report(done, total, ""))
                : job.Upscale(inputs[i], loaded!);
            if (!single) bar.Report(i + 1, Path.GetFileName(inputs[i]));
            foreach (var path in written) Console.WriteLine($"Wrote {path}");
        }
        bar.Complete();
    }
    skipped.ThrowIfAny("images");
    return 0;
});
