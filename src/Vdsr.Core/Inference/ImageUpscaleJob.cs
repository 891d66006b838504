using Vdsr.Core.Imaging;
using Vdsr.Core.Drawing;

namespace Vdsr.Core.Inference;

/// <summary>
/// Enlarges image files: one file or every image of a folder, each written as
/// `&lt;stem&gt;_x&lt;s&gt;_vdsr.png` (and `_compare.png`: bicubic | VDSR) into an output folder.
/// </summary>
public sealed class ImageUpscaleJob
{
    public required Upscaler Upscaler { get; init; }
    public required int Scale { get; init; }
    public required string OutputFolder { get; init; }
    public bool Compare { get; init; }
    public long MaxPixels { get; init; } = ImageFile.DefaultMaxPixels;

    /// <summary>The input images: the file itself, or the supported images of a folder (sorted).</summary>
    public static IReadOnlyList<string> Inputs(string path)
    {
        if (Directory.Exists(path))
        {
            var files = ImageFormats.ImagesIn(path);
            return files.Count > 0 ? files : throw new VdsrUserException($"{path}: no images ({ImageFormats.Description}) in this folder");
        }
        if (!File.Exists(path)) throw new VdsrUserException($"{path}: file not found");
        return [path];
    }

    /// <summary>Upscales one file; returns the paths written.</summary>
    public IReadOnlyList<string> Run(string inputPath, Action<int, int>? tileDone = null)
    {
        UpscaleFactor.Check(Scale);
        var image = ImageFile.Load(inputPath, MaxPixels);
        long outputPixels = image.Rgb.PixelCount * Scale * Scale;
        if (outputPixels > MaxPixels)
            throw new VdsrUserException($"{inputPath}: the x{Scale} result would have {outputPixels} pixels, more than the allowed {MaxPixels}");
        EnsureFolder(OutputFolder); // once the image is known to load, before the long part
        var result = Upscaler.Upscale(image.Rgb, image.Alpha, Scale, withBicubic: Compare, tileDone);

        string stem = Path.Combine(OutputFolder, $"{Path.GetFileNameWithoutExtension(inputPath)}_x{Scale}");
        var written = new List<string> { stem + "_vdsr.png" };
        ImageFile.Save(written[0], result.Vdsr, result.Alpha);
        if (Compare)
        {
            written.Add(stem + "_compare.png");
            ComparisonStrip.SavePng([new StripPanel(result.Bicubic!, "Bicubic"), new StripPanel(result.Vdsr, "VDSR")], written[1]);
        }
        return written;
    }

    public static void EnsureFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{folder}: cannot create the output folder ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }
}
