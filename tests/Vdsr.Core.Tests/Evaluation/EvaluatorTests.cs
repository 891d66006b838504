using Vdsr.Core.Evaluation;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Evaluation;

/// <summary>The evaluator with the pretrained model reproduces the original's published numbers.</summary>
public sealed class EvaluatorTests : IDisposable
{
    private readonly List<VdsrNet> _nets = new();

    public void Dispose() => _nets.ForEach(net => net.Dispose());

    /// <summary>An evaluator of the pretrained model run with <paramref name="plan"/> (default: fp32, direct).</summary>
    private Evaluator With(ConvPlan plan)
    {
        _nets.Add(ModelStore.LoadNet(TestPaths.InRepo("models", "model_epoch_50.pth"), plan: plan));
        return new Evaluator(new Upscaler(_nets[^1], CPU));
    }

    private Evaluator Evaluator => With(default);

    [Fact]
    public void BundledSet5GivesThePublishedAverages()
    {
        // Bicubic inputs made in memory from the bundled BMPs, each scale cropping the original.
        var report = Evaluator.Run(new EvalDataset(TestPaths.InRepo("Set5"), [2, 3, 4]));
        Assert.Equal(15, report.Images.Count);
        Assert.Equal([2, 3, 4], report.Scales.Select(s => s.Scale));
        Assert.Equal([37.6526, 33.7733, 31.4530], report.Scales.Select(s => Math.Round(s.PsnrVdsr, 4)));
    }

    [Fact]
    public void CumulativeCropGivesTheOriginalsX4Average()
    {
        // generate_test_mat.m crops x4 from the x3 crop of the x2 crop: 31.4650 at x4, the .mat files' number.
        var samples = Directory.GetFiles(TestPaths.InRepo("Set5"), "*_GT.bmp").Order(StringComparer.Ordinal)
            .SelectMany(path => EvalSampleBuilder.FromGroundTruth(Path.GetFileNameWithoutExtension(path),
                Core.Imaging.ImageFile.Load(path).Rgb, [2, 3, 4], cumulative: true))
            .Where(s => s.Scale == 4).ToList();
        Assert.Equal(5, samples.Count);
        var psnr = samples.Select(s => Evaluator.Evaluate(s, loadSeconds: 0).PsnrVdsr).Average();
        Assert.Equal(31.4650, Math.Round(psnr, 4));
    }

    [Fact]
    public void ButterflyMatFilesGiveEvalPysPerImagePsnrs()
    {
        // REFERENCE table: butterfly VDSR / bicubic at x2, x3, x4.
        var report = Evaluator.Run(new EvalDataset(TestPaths.Fixture("set5_mat"), [2, 3, 4]));
        Assert.Equal(["butterfly_GT x2", "butterfly_GT x3", "butterfly_GT x4"], report.Images.Select(r => $"{r.Name} x{r.Scale}"));
        Assert.Equal([34.7222, 30.0249, 27.3689], report.Images.Select(r => Math.Round(r.PsnrVdsr, 4)));
        Assert.Equal([27.4394, 24.0388, 22.1363], report.Images.Select(r => Math.Round(r.PsnrBicubic, 4)));
    }

    [Fact]
    public void Bf16KeepsSet5Within0005DbOfFp32()
    {
        // The fp32 figures are the pins above (BMPs: cumulative=false; .mat-equivalent: cumulative=true at x4).
        var bf16Evaluator = With(ConvPlan.Direct(ConvPrecision.Bf16));
        var bmps = bf16Evaluator.Run(new EvalDataset(TestPaths.InRepo("Set5"), [2, 3, 4]));
        Assert.Equal("bf16", bmps.Precision);
        double[] fp32 = [37.6526, 33.7733, 31.4530];
        var bf16 = bmps.Scales.Select(s => s.PsnrVdsr).ToArray();
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(bf16[i] - fp32[i]) <= 0.005, $"x{i + 2}: bf16 {bf16[i]:F4} dB vs fp32 {fp32[i]:F4} dB");
        var mats = bf16Evaluator.Run(new EvalDataset(TestPaths.Fixture("set5_mat"), [2, 3, 4]));
        double[] butterflyFp32 = [34.7222, 30.0249, 27.3689];
        var butterfly = mats.Images.Select(r => r.PsnrVdsr).ToArray();
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(butterfly[i] - butterflyFp32[i]) <= 0.005, $"butterfly x{i + 2}: bf16 {butterfly[i]:F4} dB vs fp32 {butterflyFp32[i]:F4} dB");
    }

    [Fact]
    public void WinogradGivesThePublishedNumbers()
    {
        // Winograd F(4x4,3x3) on the 18 hidden convs: the same four-decimal Set5 averages as the
        // direct conv, and each butterfly .mat PSNR within 0.0005 dB of the direct conv's.
        var winogradEvaluator = With(new ConvPlan(ConvPrecision.Fp32, ConvAlgorithm.Winograd));
        var report = winogradEvaluator.Run(new EvalDataset(TestPaths.InRepo("Set5"), [2, 3, 4]));
        Assert.Equal("fp32, winograd", report.Precision);
        Assert.Equal([37.6526, 33.7733, 31.4530], report.Scales.Select(s => Math.Round(s.PsnrVdsr, 4)));
        var winograd = winogradEvaluator.Run(new EvalDataset(TestPaths.Fixture("set5_mat"), [2, 3, 4])).Images.Select(r => r.PsnrVdsr).ToArray();
        var direct = Evaluator.Run(new EvalDataset(TestPaths.Fixture("set5_mat"), [2, 3, 4])).Images.Select(r => r.PsnrVdsr).ToArray();
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(winograd[i] - direct[i]) <= 0.0005, $"butterfly x{i + 2}: winograd {winograd[i]:F6} dB vs direct {direct[i]:F6} dB");
    }
}
