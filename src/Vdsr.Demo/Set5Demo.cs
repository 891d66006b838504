using System.Diagnostics;
using Vdsr.Core;
using Vdsr.Core.Inference;
using Vdsr.Core.Imaging;

namespace Vdsr.Demo;

/// <summary>
/// demo.py on a Set5 image: the ground truth `&lt;name&gt;.bmp`, the MATLAB-made bicubic input
/// `&lt;name&gt;_scale_&lt;s&gt;.bmp`, the network on Y, PSNRs on Y. Unlike demo.py (PIL's full-range
/// Y) Y is MATLAB's BT.601 luma, the same as evaluation uses.
/// </summary>
public static class Set5Demo
{
    public static string GroundTruthPath(string folder, string image) => Path.Combine(folder, image + ".bmp");

    public static string BicubicPath(string folder, string image, int scale) => Path.Combine(folder, $"{image}_scale_{scale}.bmp");

    public static bool IsSet5Name(string folder, string image, int scale) =>
        !image.Contains(Path.DirectorySeparatorChar) && !Path.HasExtension(image)
        && File.Exists(GroundTruthPath(folder, image)) && File.Exists(BicubicPath(folder, image, scale));

    public static Set5DemoResult Run(Upscaler upscaler, string folder, string image, int scale)
    {
        var groundTruth = ImageFile.Load(GroundTruthPath(folder, image)).Rgb;
        var bicubic = ImageFile.Load(BicubicPath(folder, image, scale)).Rgb;
        if (bicubic.Height > groundTruth.Height || bicubic.Width > groundTruth.Width)
            throw new VdsrUserException($"{BicubicPath(folder, image, scale)}: larger than its ground truth {GroundTruthPath(folder, image)}");
        groundTruth = groundTruth.Crop(0, 0, bicubic.Height, bicubic.Width);

        var gtY = ColorSpace.Times255(ColorSpace.Luma(ColorSpace.ToUnitRange(groundTruth)));
        var bicubicYCbCr = ColorSpace.RgbToYCbCr(ColorSpace.ToUnitRange(bicubic));
        var bicubicY = ColorSpace.LumaTimes255(bicubicYCbCr);

        var clock = Stopwatch.StartNew();
        var vdsrY = upscaler.EnhanceY(bicubicY);
        double seconds = clock.Elapsed.TotalSeconds;

        var vdsrYCbCr = bicubicYCbCr.Clone();
        vdsrYCbCr.SetChannel(0, vdsrY.Map(v => v / 255.0));
        return new Set5DemoResult(
            groundTruth, bicubic, ColorSpace.YCbCrToRgbBytes(vdsrYCbCr),
            QualityMetrics.Psnr(vdsrY, gtY, scale), QualityMetrics.Psnr(bicubicY, gtY, scale), seconds);
    }
}

public sealed record Set5DemoResult(
    ImageBuffer<byte> GroundTruth, ImageBuffer<byte> Bicubic, ImageBuffer<byte> Vdsr,
    double PsnrVdsr, double PsnrBicubic, double Seconds);
