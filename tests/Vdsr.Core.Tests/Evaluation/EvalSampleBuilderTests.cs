using Vdsr.Core.IO;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Tests.Evaluation;

public class EvalSampleBuilderTests
{
    [Fact]
    public void CumulativeProtocolReproducesTheMatlabMatFiles()
    {
        // tests/fixtures/set5_mat/butterfly_GT_x*.mat were made by MATLAB's generate_test_mat.m.
        var gt = ImageFile.Load(TestPaths.InRepo("Set5", "butterfly_GT.bmp")).Rgb;
        var samples = EvalSampleBuilder.FromGroundTruth("butterfly", gt, [2, 3, 4], cumulative: true);
        Assert.Equal(new[] { 2, 3, 4 }, samples.Select(s => s.Scale));
        foreach (var sample in samples)
        {
            var mat = MatFile.Read(TestPaths.Fixture("set5_mat", $"butterfly_GT_x{sample.Scale}.mat"));
            Assert.Equal("butterfly", sample.Name);
            Assert.Equal(mat["im_gt"].ToImageByte().Data, sample.GroundTruthRgb!.Data);
            AssertClose(mat["im_gt_y"].ToImageDouble(), sample.GroundTruthY, 1e-9);
            AssertClose(mat["im_b_y"].ToImageDouble(), sample.BicubicY, 1e-9);
        }
        Assert.Equal(new[] { 256, 255, 252 }, samples.Select(s => s.GroundTruthY.Height));
    }

    [Fact]
    public void PerScaleProtocolCropsTheOriginal()
    {
        var gt = new ImageBuffer<byte>(13, 14, 3);
        for (int i = 0; i < gt.Data.Length; i++) gt.Data[i] = (byte)(i * 7);
        var perScale = EvalSampleBuilder.FromGroundTruth("x", gt, [2, 3, 4], cumulative: false);
        Assert.Equal(new[] { (12, 14), (12, 12), (12, 12) }, perScale.Select(s => (s.GroundTruthY.Height, s.GroundTruthY.Width)));
        var cumulative = EvalSampleBuilder.FromGroundTruth("x", gt, [2, 3, 4], cumulative: true);
        Assert.Equal(new[] { (12, 14), (12, 12), (12, 12) }, cumulative.Select(s => (s.GroundTruthY.Height, s.GroundTruthY.Width)));

        var wide = new ImageBuffer<byte>(256, 256, 3);
        var sizes = EvalSampleBuilder.FromGroundTruth("w", wide, [2, 3, 4], cumulative: false).Select(s => s.GroundTruthY.Height);
        Assert.Equal(new[] { 256, 255, 256 }, sizes);
        var cumulativeSizes = EvalSampleBuilder.FromGroundTruth("w", wide, [2, 3, 4], cumulative: true).Select(s => s.GroundTruthY.Height);
        Assert.Equal(new[] { 256, 255, 252 }, cumulativeSizes);
    }

    [Fact]
    public void SampleMatchesItsOwnPipeline()
    {
        var gt = new ImageBuffer<byte>(12, 18, 3);
        for (int i = 0; i < gt.Data.Length; i++) gt.Data[i] = (byte)(i * 31 % 256);
        var sample = EvalSampleBuilder.FromGroundTruth("p", gt, [3], cumulative: false).Single();
        var ycbcr = ColorSpace.RgbToYCbCr(ColorSpace.ToUnitRange(gt));
        var bicubic = MatlabResize.Resize(MatlabResize.Resize(ycbcr, 1.0 / 3), 3.0);
        Assert.Equal(ycbcr.Channel(0).Data.Select(v => v * 255), sample.GroundTruthY.Data);
        Assert.Equal(bicubic.Channel(0).Data.Select(v => v * 255), sample.BicubicY.Data);
    }

    private static void AssertClose(ImageBuffer<double> expected, ImageBuffer<double> actual, double tolerance)
    {
        Assert.Equal((expected.Height, expected.Width, expected.Channels), (actual.Height, actual.Width, actual.Channels));
        double max = 0;
        for (int i = 0; i < expected.Data.Length; i++)
        {
            double a = actual.Data[i];
            max = Math.Max(max, Math.Abs(expected.Data[i] - a));
        }
        Assert.True(max <= tolerance, $"max |diff| {max:E3} > {tolerance:E1}");
    }
}
