using Vdsr.Core.Imaging;
using Vdsr.Core.Inference;

namespace Vdsr.Core.Evaluation;

/// <summary>
/// A picture used as its own ground truth, as evaluation uses an HR image: modcrop, MATLAB bicubic
/// down by the scale and back up (on YCbCr in doubles; imresize treats the planes independently, so
/// Y is eval's bicubic input), the network on Y, and PSNR on Y with `scale` pixels shaved. The PSNRs
/// equal <see cref="Evaluator"/>'s for the sample <see cref="EvalSampleBuilder"/> makes of the same image.
/// The colour images (Cb/Cr from the bicubic image, as vdsr-demo's Set5 mode) are for showing.
/// </summary>
public static class GroundTruthUpscale
{
    /// <param name="name">the picture's file, named in the message that refuses a picture smaller than the scale</param>
    public static GroundTruthResult Run(Upscaler upscaler, string name, ImageBuffer<byte> groundTruthRgb, int scale, Action<int, int>? tileDone = null)
    {
        UpscaleFactor.Check(scale);
        var groundTruth = ModCrop.Apply(groundTruthRgb, scale);
        if (groundTruth.Height == 0 || groundTruth.Width == 0)
            throw new VdsrUserException($"{name}: a {groundTruthRgb.Width}x{groundTruthRgb.Height} image is smaller than the scale {scale}");

        var groundTruthYCbCr = ColorSpace.RgbToYCbCr(ColorSpace.ToUnitRange(groundTruth));
        var bicubicYCbCr = MatlabResize.Resize(MatlabResize.Resize(groundTruthYCbCr, 1.0 / scale), (double)scale);
        var groundTruthY = ColorSpace.LumaTimes255(groundTruthYCbCr);
        var bicubicY = ColorSpace.LumaTimes255(bicubicYCbCr);

        var vdsrY = upscaler.EnhanceY(bicubicY, tileDone);
        var bicubicRgb = ColorSpace.YCbCrToRgbBytes(bicubicYCbCr);
        bicubicYCbCr.SetChannel(0, vdsrY.Map(v => v / 255.0));
        return new GroundTruthResult(groundTruth, bicubicRgb, ColorSpace.YCbCrToRgbBytes(bicubicYCbCr),
            QualityMetrics.Psnr(vdsrY, groundTruthY, scale), QualityMetrics.Psnr(bicubicY, groundTruthY, scale));
    }
}

/// <summary>The cropped ground truth, its bicubic and VDSR reconstructions (RGB) and their PSNRs on Y (dB).</summary>
public sealed record GroundTruthResult(
    ImageBuffer<byte> GroundTruth, ImageBuffer<byte> Bicubic, ImageBuffer<byte> Vdsr, double PsnrVdsr, double PsnrBicubic);
