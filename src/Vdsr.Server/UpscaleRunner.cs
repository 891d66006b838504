using System.Diagnostics;
using Vdsr.Core;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Imaging;
using Vdsr.Core.Inference;

namespace Vdsr.Server;

/// <summary>
/// Runs one upload through a model. Upscaling is vdsr-demo's own path (<see cref="ImageUpscaleJob"/>:
/// the same checks, pipeline and PNG writer), so the PNG is byte for byte what
/// `vdsr-demo --image file --scale S` writes with the same model and options. Ground-truth mode is
/// <see cref="GroundTruthUpscale"/>. Every problem with the file is a <see cref="VdsrUserException"/>
/// naming the saved path (see <see cref="Upload.Show"/>).
/// </summary>
public static class UpscaleRunner
{
    /// <summary>The cheap check before a job waits in line: the header alone, refused as the full run would refuse it.</summary>
    public static ImageHeader CheckHeader(Upload upload, UpscaleRequest request, long maxPixels)
    {
        return request.GroundTruth
            ? ImageFile.Identify(upload.Path, maxPixels)
            : ImageUpscaleJob.CheckHeader(upload.Path, request.Scale, maxPixels);
    }

    /// <param name="withBicubic">upscale mode: also write the bicubic enlargement (for the page's comparison)</param>
    /// <param name="tileDone">called after each tile with (done, total)</param>
    /// <param name="token">checked before the work and after every tile</param>
    public static JobResult Run(ServedModel model, Upload upload, UpscaleRequest request, long maxPixels, string outputFolder,
        bool withBicubic, Action<int, int>? tileDone, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        void Tile(int done, int total)
        {
            token.ThrowIfCancellationRequested();
            tileDone?.Invoke(done, total);
        }
        return request.GroundTruth
            ? RunGroundTruth(model, upload, request.Scale, maxPixels, outputFolder, Tile, clock)
            : RunUpscale(model, upload, request.Scale, maxPixels, outputFolder, withBicubic, Tile, clock);
    }

    private static JobResult RunUpscale(ServedModel model, Upload upload, int scale, long maxPixels, string outputFolder,
        bool withBicubic, Action<int, int> tileDone, Stopwatch clock)
    {
        var job = new ImageUpscaleJob
        {
            Upscaler = model.Upscaler, Scale = scale, OutputFolder = outputFolder, MaxPixels = maxPixels, Bicubic = withBicubic,
        };
        var loaded = job.Load(upload.Path);
        var written = job.Upscale(upload.Path, loaded, tileDone);
        var pictures = new Dictionary<string, string> { ["vdsr"] = Path.GetFileName(written[0]) };
        if (withBicubic) pictures["bicubic"] = Path.GetFileName(written[1]);
        return new JobResult(upload.Name, scale, model.Id, "upscale", loaded.Rgb.Width, loaded.Rgb.Height,
            loaded.Rgb.Width * scale, loaded.Rgb.Height * scale, pictures, null, null, clock.Elapsed.TotalSeconds);
    }

    private static JobResult RunGroundTruth(ServedModel model, Upload upload, int scale, long maxPixels, string outputFolder,
        Action<int, int> tileDone, Stopwatch clock)
    {
        var loaded = ImageFile.Load(upload.Path, maxPixels);
        var result = GroundTruthUpscale.Run(model.Upscaler, upload.Path, loaded.Rgb, scale, tileDone);
        Vdsr.Core.IO.Folders.Create(outputFolder, "output folder");
        string stem = $"{Path.GetFileNameWithoutExtension(upload.Path)}_x{scale}";
        var pictures = new Dictionary<string, string>
        {
            ["ground-truth"] = stem + "_gt.png", ["bicubic"] = stem + "_bicubic.png", ["vdsr"] = stem + "_vdsr.png",
        };
        ImageFile.Save(Path.Combine(outputFolder, pictures["ground-truth"]), result.GroundTruth);
        ImageFile.Save(Path.Combine(outputFolder, pictures["bicubic"]), result.Bicubic);
        ImageFile.Save(Path.Combine(outputFolder, pictures["vdsr"]), result.Vdsr);
        return new JobResult(upload.Name, scale, model.Id, "ground-truth", result.GroundTruth.Width, result.GroundTruth.Height,
            result.GroundTruth.Width, result.GroundTruth.Height, pictures, result.PsnrVdsr, result.PsnrBicubic, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>
/// A finished job: its input's size (ground-truth mode: after the crop to a multiple of the scale),
/// the result's, the pictures written (kind to file name) and, in ground-truth mode, the PSNRs on Y (dB).
/// </summary>
public sealed record JobResult(
    string Name, int Scale, string Model, string Mode, int Width, int Height, int OutputWidth, int OutputHeight,
    IReadOnlyDictionary<string, string> Pictures, double? PsnrVdsr, double? PsnrBicubic, double Seconds);
