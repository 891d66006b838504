using Vdsr.Core.Evaluation;
using Vdsr.Core.Imaging;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Evaluation;

/// <summary>A picture as its own ground truth gives evaluation's numbers (a small random network keeps it fast).</summary>
public sealed class GroundTruthUpscaleTests : IDisposable
{
    private readonly VdsrNet _net;

    public GroundTruthUpscaleTests()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(5);
        _net = new VdsrNet(VdsrArchitecture.Uniform(4, 8));
    }

    public void Dispose() => _net.Dispose();

    private static ImageBuffer<byte> ButterflyCorner() =>
        ImageFile.Load(TestPaths.InRepo("Set5", "butterfly_GT.bmp")).Rgb.Crop(40, 60, 47, 50);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void PsnrsEqualTheEvaluatorsOnTheSameImage(int scale)
    {
        var upscaler = new Upscaler(_net, CPU);
        var image = ButterflyCorner();
        var result = GroundTruthUpscale.Run(upscaler, "corner.png", image, scale);

        var sample = EvalSampleBuilder.FromGroundTruth("corner", image, [scale], cumulative: false).Single();
        var expected = new Evaluator(upscaler).Evaluate(sample, loadSeconds: 0);
        Assert.Equal(expected.PsnrVdsr, result.PsnrVdsr);
        Assert.Equal(expected.PsnrBicubic, result.PsnrBicubic);
        Assert.Equal(sample.GroundTruthRgb!.Data, result.GroundTruth.Data);
        foreach (var picture in new[] { result.Bicubic, result.Vdsr })
            Assert.Equal((result.GroundTruth.Height, result.GroundTruth.Width, 3), (picture.Height, picture.Width, picture.Channels));
    }

    [Fact]
    public void TheVdsrPictureCarriesTheNetworksLuma()
    {
        var upscaler = new Upscaler(_net, CPU);
        var image = ButterflyCorner();
        var result = GroundTruthUpscale.Run(upscaler, "corner.png", image, 2);
        var sample = EvalSampleBuilder.FromGroundTruth("corner", image, [2], cumulative: false).Single();
        var networkY = upscaler.EnhanceY(sample.BicubicY);

        // Rounding R, G and B to bytes moves Y by at most 0.43 (half the sum of the luma weights), where no channel saturates.
        var pictureY = ColorSpace.Luma(ColorSpace.ToUnitRange(result.Vdsr));
        int compared = 0;
        for (int i = 0; i < networkY.PixelCount; i++)
        {
            if (result.Vdsr.Data.AsSpan(3 * i, 3).IndexOfAny((byte)0, (byte)255) >= 0) continue;
            Assert.True(Math.Abs(pictureY.Data[i] * 255 - networkY.Data[i]) < 0.43, $"pixel {i}: {pictureY.Data[i] * 255} vs {networkY.Data[i]}");
            compared++;
        }
        Assert.True(compared > networkY.PixelCount / 2, $"only {compared} of {networkY.PixelCount} pixels unsaturated");
        Assert.NotEqual(result.Bicubic.Data, result.Vdsr.Data);
    }

    [Fact]
    public void TooSmallAPictureIsRefusedInOneLine()
    {
        var tiny = new ImageBuffer<byte>(3, 5, 3);
        var e = Assert.Throws<VdsrUserException>(() => GroundTruthUpscale.Run(new Upscaler(_net, CPU), "tiny.png", tiny, 4));
        Assert.Equal("tiny.png: a 5x3 image is smaller than the scale 4", e.Message);
    }
}
