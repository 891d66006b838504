using Vdsr.Core.Evaluation;
using Vdsr.Core.IO;
using Vdsr.Core.Data;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Tests.Imaging;

public class QualityMetricsTests
{
    [Fact]
    public void PsnrOfGoldenButterflyBicubicX4()
    {
        // The golden arrays are the x4 .mat's im_gt_y / im_b_y; eval.py reports 22.136253 for this pair.
        var gt = Npy.ReadDouble(TestPaths.Fixture("golden", "butterfly_x4_im_gt_y_f64.npy")).ToImageDouble();
        var bicubic = Npy.ReadDouble(TestPaths.Fixture("golden", "butterfly_x4_im_b_y_f64.npy")).ToImageDouble();
        Assert.Equal(22.13625294997701, QualityMetrics.Psnr(bicubic, gt, shave: 4), 1e-10);
    }

    // Expected values were computed once with the eval.py PSNR formula and Debian's scikit-image 0.19.3:
    // structural_similarity(b, gt, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
    // data_range=255) on im_b_y and im_gt_y of the .mat files, both shaved by the scale.
    [Theory]
    [InlineData(2, 27.43935695244248, 0.9161099486983716)]
    [InlineData(3, 24.0387718219323, 0.8223932448774602)]
    [InlineData(4, 22.13625294997701, 0.7375048357064506)]
    public void ButterflyBicubicMatchesReference(int scale, double psnr, double ssim)
    {
        var mat = MatFile.Read(TestPaths.Fixture("set5_mat", $"butterfly_GT_x{scale}.mat"));
        var gt = mat["im_gt_y"].ToImageDouble();
        var bicubic = mat["im_b_y"].ToImageDouble();
        Assert.Equal(psnr, QualityMetrics.Psnr(bicubic, gt, scale), 1e-10);
        Assert.Equal(ssim, QualityMetrics.Ssim(bicubic, gt, scale), 1e-4);
    }

    [Fact]
    public void IdenticalImagesGivePsnr100AndSsim1()
    {
        var gt = Npy.ReadDouble(TestPaths.Fixture("golden", "butterfly_x4_im_gt_y_f64.npy")).ToImageDouble();
        Assert.Equal(100.0, QualityMetrics.Psnr(gt, gt.Clone(), 4));
        Assert.Equal(1.0, QualityMetrics.Ssim(gt, gt.Clone(), 4), 1e-12);
    }

    [Fact]
    public void PsnrOfAConstantOffset()
    {
        var a = new ImageBuffer<double>(6, 6, 1);
        var b = a.Map(v => v + 2.55);
        // rmse 2.55 -> 20 log10(100) = 40 dB
        Assert.Equal(40.0, QualityMetrics.Psnr(b, a, 1), 1e-12);
    }

    [Fact]
    public void ShaveUsesOnlyTheInterior()
    {
        var a = new ImageBuffer<double>(20, 20, 1);
        var b = a.Clone();
        b[0, 0] = 255;
        b[19, 5] = 255;
        Assert.Equal(100.0, QualityMetrics.Psnr(b, a, 1));
        Assert.True(QualityMetrics.Psnr(b, a, 0) < 100.0);
    }

    [Fact]
    public void RejectsMismatchedOrTooSmallImages()
    {
        Assert.Throws<ArgumentException>(() => QualityMetrics.Psnr(new ImageBuffer<double>(4, 4, 1), new ImageBuffer<double>(4, 5, 1), 0));
        Assert.Throws<ArgumentException>(() => QualityMetrics.Ssim(new ImageBuffer<double>(14, 14, 1), new ImageBuffer<double>(14, 14, 1), 2));
    }
}
