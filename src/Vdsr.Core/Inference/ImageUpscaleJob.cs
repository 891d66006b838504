using Vdsr.Core.IO;
using Vdsr.Core.Imaging;
using Vdsr.Core.Drawing;

namespace Vdsr.Core.Inference;

/// <summary>
/// Enlarges image files: one file or every image of a folder, each written as
/// `&lt;stem&gt;_x&lt;s&gt;_vdsr.png` (and `_compare.png`: bicubic | VDSR; `_bicubic.png`: the bicubic
/// enlargement alone) into an output folder.
/// </summary>
public sealed class ImageUpscaleJob
{
    public required Upscaler Upscaler { get; init; }
    public required int Scale { get; init; }
    public required string OutputFolder { get; init; }
    public bool Compare { get; init; }

    /// <summary>Also write the bicubic enlargement as `&lt;stem&gt;_x&lt;s&gt;_bicubic.png` (with the enlarged alpha, as the VDSR output).</summary>
    public bool Bicubic { get; init; }
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

    /// <summary>
    /// Checks an input from its header alone (a readable image whose size and result stay within
    /// <paramref name="maxPixels"/>), so that a bad file is refused before any network is loaded.
    /// </summary>
    public static ImageHeader CheckHeader(string inputPath, int scale, long maxPixels)
    {
        var header = ImageFile.Identify(inputPath, maxPixels);
        CheckResultSize(inputPath, header.PixelCount, scale, maxPixels);
        return header;
    }

    /// <summary>Upscales one file; returns the paths written.</summary>
    public IReadOnlyList<string> Run(string inputPath, Action<int, int>? tileDone = null) => Upscale(inputPath, Load(inputPath), tileDone);

    /// <summary>Reads an input, checked against the pixel limits: the part of a run that a bad input file fails.</summary>
    public LoadedImage Load(string inputPath)
    {
        UpscaleFactor.Check(Scale);
        var image = ImageFile.Load(inputPath, MaxPixels);
        CheckResultSize(inputPath, image.Rgb.PixelCount, Scale, MaxPixels);
        return image;
    }

    /// <summary>Upscales a loaded input and writes the results; returns the paths written.</summary>
    public IReadOnlyList<string> Upscale(string inputPath, LoadedImage image, Action<int, int>? tileDone = null)
    {
        Folders.Create(OutputFolder, "output folder"); // once the image is known to load, before the long part
        var result = Upscaler.Upscale(image.Rgb, image.Alpha, Scale, withBicubic: Compare || Bicubic, tileDone);

        string stem = Path.Combine(OutputFolder, $"{Path.GetFileNameWithoutExtension(inputPath)}_x{Scale}");
        var written = new List<string> { stem + "_vdsr.png" };
        ImageFile.Save(written[0], result.Vdsr, result.Alpha);
        if (Compare)
        {
            written.Add(stem + "_compare.png");
            ComparisonStrip.SavePng([new StripPanel(result.Bicubic!, "Bicubic"), new StripPanel(result.Vdsr, "VDSR")], written[^1]);
        }
        if (Bicubic)
        {
            written.Add(stem + "_bicubic.png");
            ImageFile.Save(written[^1], result.Bicubic!, result.Alpha);
        }
        return written;
    }

    private static void CheckResultSize(string inputPath, long inputPixels, int scale, long maxPixels)
    {
        long outputPixels = inputPixels * scale * scale;
        if (outputPixels > maxPixels)
            throw new VdsrUserException($"{inputPath}: the x{scale} result would have {outputPixels} pixels, more than the allowed {maxPixels}");
    }
}
