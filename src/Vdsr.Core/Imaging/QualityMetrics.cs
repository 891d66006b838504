using Vdsr.Core.Imaging;

namespace Vdsr.Core.Imaging;

/// <summary>PSNR and SSIM on single-channel images in 0..255 units (VDSR evaluates them on Y).</summary>
public static class QualityMetrics
{
    public const double PeakValue = 255.0;
    /// <summary>What eval.py reports for identical images (rmse 0).</summary>
    public const double IdenticalPsnr = 100.0;

    private const int SsimRadius = 5;           // int(3.5 * sigma + 0.5): scipy's gaussian_filter truncation
    private const double SsimSigma = 1.5;
    private const double SsimK1 = 0.01;
    private const double SsimK2 = 0.03;

    /// <summary>eval.py's PSNR: shave pixels cut from every side, 20 log10(255 / rmse), 100 when rmse is 0.</summary>
    public static double Psnr(ImageBuffer<double> prediction, ImageBuffer<double> groundTruth, int shave)
    {
        var (pred, gt) = Shave(prediction, groundTruth, shave, minimumSize: 1);
        var squares = new double[pred.Data.Length];
        for (int i = 0; i < squares.Length; i++)
        {
            double d = pred.Data[i] - gt.Data[i];
            squares[i] = d * d;
        }
        double rmse = Math.Sqrt(PairwiseSum.Sum(squares) / squares.Length);
        return rmse == 0 ? IdenticalPsnr : 20 * Math.Log10(PeakValue / rmse);
    }

    /// <summary>
    /// SSIM of Wang et al. (2004) as skimage's structural_similarity(gaussian_weights=True,
    /// sigma=1.5, use_sample_covariance=False, data_range=255) computes it on the shaved images:
    /// the mean of the SSIM map without the 5 pixels next to each border.
    /// </summary>
    public static double Ssim(ImageBuffer<double> prediction, ImageBuffer<double> groundTruth, int shave)
    {
        var (x, y) = Shave(prediction, groundTruth, shave, minimumSize: 2 * SsimRadius + 1);
        int n = x.Data.Length;
        var xx = new double[n];
        var yy = new double[n];
        var xy = new double[n];
        for (int i = 0; i < n; i++)
        {
            xx[i] = x.Data[i] * x.Data[i];
            yy[i] = y.Data[i] * y.Data[i];
            xy[i] = x.Data[i] * y.Data[i];
        }
        var kernel = GaussianKernel();
        int h = x.Height, w = x.Width;
        var ux = FilterValid(x.Data, h, w, kernel);
        var uy = FilterValid(y.Data, h, w, kernel);
        var uxx = FilterValid(xx, h, w, kernel);
        var uyy = FilterValid(yy, h, w, kernel);
        var uxy = FilterValid(xy, h, w, kernel);

        const double c1 = SsimK1 * PeakValue * (SsimK1 * PeakValue);
        const double c2 = SsimK2 * PeakValue * (SsimK2 * PeakValue);
        var map = new double[ux.Length];
        for (int i = 0; i < map.Length; i++)
        {
            double vx = uxx[i] - ux[i] * ux[i];
            double vy = uyy[i] - uy[i] * uy[i];
            double vxy = uxy[i] - ux[i] * uy[i];
            double a1 = 2 * ux[i] * uy[i] + c1, a2 = 2 * vxy + c2;
            double b1 = ux[i] * ux[i] + uy[i] * uy[i] + c1, b2 = vx + vy + c2;
            map[i] = a1 * a2 / (b1 * b2);
        }
        return PairwiseSum.Sum(map) / map.Length;
    }

    private static (ImageBuffer<double>, ImageBuffer<double>) Shave(
        ImageBuffer<double> prediction, ImageBuffer<double> groundTruth, int shave, int minimumSize)
    {
        if (prediction.Height != groundTruth.Height || prediction.Width != groundTruth.Width)
            throw new ArgumentException($"image sizes differ: {prediction.Height}x{prediction.Width} vs {groundTruth.Height}x{groundTruth.Width}");
        if (prediction.Channels != 1 || groundTruth.Channels != 1)
            throw new ArgumentException("metrics take single-channel (Y) images");
        if (shave < 0) throw new ArgumentOutOfRangeException(nameof(shave), "shave must not be negative");
        int h = prediction.Height - 2 * shave, w = prediction.Width - 2 * shave;
        if (h < minimumSize || w < minimumSize)
            throw new ArgumentException($"a {prediction.Height}x{prediction.Width} image shaved by {shave} is smaller than {minimumSize}x{minimumSize}");
        return (prediction.Crop(shave, shave, h, w), groundTruth.Crop(shave, shave, h, w));
    }

    private static double[] GaussianKernel()
    {
        var kernel = new double[2 * SsimRadius + 1];
        double sum = 0;
        for (int i = -SsimRadius; i <= SsimRadius; i++)
        {
            kernel[i + SsimRadius] = Math.Exp(-0.5 / (SsimSigma * SsimSigma) * (i * i));
            sum += kernel[i + SsimRadius];
        }
        for (int i = 0; i < kernel.Length; i++) kernel[i] /= sum;
        return kernel;
    }

    /// <summary>Separable Gaussian filter along rows then columns, only where the window fits (no padding).</summary>
    private static double[] FilterValid(double[] image, int height, int width, double[] kernel)
    {
        int r = SsimRadius, outH = height - 2 * r, outW = width - 2 * r;
        var vertical = new double[outH * width];
        for (int i = 0; i < outH; i++)
        {
            for (int j = 0; j < width; j++)
            {
                int center = (i + r) * width + j;
                double acc = image[center] * kernel[r];
                for (int k = 1; k <= r; k++)
                    acc += (image[center - k * width] + image[center + k * width]) * kernel[r + k];
                vertical[i * width + j] = acc;
            }
        }
        var result = new double[outH * outW];
        for (int i = 0; i < outH; i++)
        {
            for (int j = 0; j < outW; j++)
            {
                int center = i * width + j + r;
                double acc = vertical[center] * kernel[r];
                for (int k = 1; k <= r; k++)
                    acc += (vertical[center - k] + vertical[center + k]) * kernel[r + k];
                result[i * outW + j] = acc;
            }
        }
        return result;
    }
}
