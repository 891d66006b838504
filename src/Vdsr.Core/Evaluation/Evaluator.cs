using System.Diagnostics;
using Vdsr.Core.Imaging;
using Vdsr.Core.Inference;

namespace Vdsr.Core.Evaluation;

/// <summary>
/// eval.py: for every sample, the network on the bicubic Y, then PSNR (and SSIM) of VDSR and of
/// bicubic against the ground-truth Y, shaving `scale` pixels from every border.
/// </summary>
public sealed class Evaluator
{
    private readonly Upscaler _upscaler;

    public Evaluator(Upscaler upscaler) => _upscaler = upscaler;

    public ImageResult Evaluate(EvalSample sample, double loadSeconds)
    {
        var clock = Stopwatch.StartNew();
        var vdsrY = _upscaler.EnhanceY(sample.BicubicY);
        double forwardSeconds = clock.Elapsed.TotalSeconds;
        return new ImageResult(
            sample.Name, sample.Scale, sample.GroundTruthY.Width, sample.GroundTruthY.Height,
            QualityMetrics.Psnr(vdsrY, sample.GroundTruthY, sample.Scale),
            QualityMetrics.Psnr(sample.BicubicY, sample.GroundTruthY, sample.Scale),
            QualityMetrics.Ssim(vdsrY, sample.GroundTruthY, sample.Scale),
            QualityMetrics.Ssim(sample.BicubicY, sample.GroundTruthY, sample.Scale),
            forwardSeconds, loadSeconds + clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Evaluates every sample of the dataset; <paramref name="progress"/> gets each result. An unreadable
    /// input ends the run, or with <paramref name="onSkipped"/> is reported to it and skipped.
    /// </summary>
    public EvalReport Run(EvalDataset dataset, Action<ImageResult>? progress = null, CancellationToken cancellationToken = default,
        Action<string, VdsrUserException>? onSkipped = null)
    {
        var results = new List<ImageResult>();
        var clock = Stopwatch.StartNew();
        double loadStart = 0;
        foreach (var sample in dataset.Samples(onSkipped))
        {
            cancellationToken.ThrowIfCancellationRequested();
            double loadSeconds = clock.Elapsed.TotalSeconds - loadStart;
            var result = Evaluate(sample, loadSeconds);
            results.Add(result);
            progress?.Invoke(result);
            loadStart = clock.Elapsed.TotalSeconds;
        }
        return new EvalReport(dataset.Folder, results, clock.Elapsed.TotalSeconds, _upscaler.Plan);
    }
}

/// <summary>One image at one scale: PSNR/SSIM on Y of VDSR and of bicubic, and timings.</summary>
public sealed record ImageResult(
    string Name, int Scale, int Width, int Height,
    double PsnrVdsr, double PsnrBicubic, double SsimVdsr, double SsimBicubic,
    double ForwardSeconds, double EndToEndSeconds);
