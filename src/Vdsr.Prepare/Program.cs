using System.CommandLine;
using System.Globalization;
using Vdsr.Cli;
using Vdsr.Core;
using Vdsr.Core.Data;

var input = new Option<string>("--input") { Description = "folder of training images (.jpg, .bmp, .png; grayscale images are skipped like generate_train.m)", Required = true };
var output = new Option<string>("--output") { Description = "HDF5 file to write (default: data/train.h5)", DefaultValueFactory = _ => "data/train.h5" };
var patchSize = new Option<int>("--patch-size") { Description = "patch side (default: 41)", DefaultValueFactory = _ => 41 };
var stride = new Option<int>("--stride") { Description = "distance between patches (default: 41)", DefaultValueFactory = _ => 41 };
var scales = new Option<string>("--scales") { Description = "scale factors (default: 2,3,4)", DefaultValueFactory = _ => "2,3,4" };
var downsizes = new Option<string>("--downsizes") { Description = "downsizing factors in (0,1] (default: 1,0.7,0.5)", DefaultValueFactory = _ => "1,0.7,0.5" };
var noAugment = new Option<bool>("--no-augment") { Description = "skip the 3 flips x 4 rotations" };
var seed = new Option<long>("--seed") { Description = "seed of the patch order (default: 0)", DefaultValueFactory = _ => 0 };
var maxImages = new Option<int>("--max-images") { Description = "use only the first N images (0 = all)", DefaultValueFactory = _ => 0 };
var keepTail = new Option<bool>("--keep-incomplete-chunk") { Description = "also write the last count mod 64 patches (the original drops them)" };
var threads = new Option<int>("--threads") { Description = "worker threads cutting patches (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };

var root = new RootCommand(CliApp.Describe("Make the VDSR training set (data/generate_train.m without MATLAB), streaming to HDF5",
    "vdsr-prepare --input path/to/291 --output data/train_291.h5"))
{
    input, output, patchSize, stride, scales, downsizes, noAugment, seed, maxImages, keepTail, threads,
};

return CliApp.Run(root, args, (parse, token) =>
{
    var options = new TrainingSetOptions
    {
        Patches = new PatchGenerationOptions
        {
            PatchSize = Positive(parse.GetValue(patchSize), "--patch-size"),
            Stride = Positive(parse.GetValue(stride), "--stride"),
            Scales = ScaleList.Parse(parse.GetValue(scales), [2, 3, 4]),
            Downsizes = ParseDownsizes(parse.GetValue(downsizes)!),
            Augment = !parse.GetValue(noAugment),
        },
        Seed = parse.GetValue(seed),
        MaxImages = Math.Max(0, parse.GetValue(maxImages)),
        DropIncompleteChunk = !parse.GetValue(keepTail),
        Workers = Positive(parse.GetValue(threads), "--threads"),
    };
    string outputPath = parse.GetValue(output)!;
    TrainingSetSummary summary;
    using (var bar = new ProgressBar("Preparing", 1000, "‰"))
    {
        var progress = new SynchronousProgress<TrainingSetProgress>(p => bar.Report(
            (long)(p.Fraction * 1000),
            p.Stage == TrainingSetStage.Generating
                ? $"images {p.ImagesDone}/{p.ImageCount}, patches {p.PatchesGenerated}"
                : $"writing {p.PatchesWritten}/{p.PatchesToWrite} patches"));
        summary = TrainingSetBuilder.Build(parse.GetValue(input)!, outputPath, options, progress, token);
        bar.Complete();
    }
    foreach (var skipped in summary.SkippedImages)
        Console.WriteLine($"skipped (not RGB, as generate_train.m): {skipped}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{summary.ImagesUsed} images, {summary.PatchesGenerated} patches cut, {summary.PatchesWritten} written to {summary.OutputPath} ({summary.FileBytes / 1048576.0:F1} MiB) in {summary.Elapsed.TotalSeconds:F1} s"));
    return 0;
});

static int Positive(int value, string flag) =>
    value >= 1 ? value : throw new VdsrUserException($"{flag} must be at least 1 (got {value})");

static IReadOnlyList<double> ParseDownsizes(string text) =>
    text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d > 0 && d <= 1
            ? d : throw new VdsrUserException($"--downsizes: '{s}' is not a factor in (0, 1]"))
        .ToList();
