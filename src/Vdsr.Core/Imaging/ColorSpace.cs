namespace Vdsr.Core.Imaging;

/// <summary>MATLAB rgb2ycbcr / ycbcr2rgb (ITU-R BT.601, Y in [16,235]).</summary>
public static class ColorSpace
{
    /// <summary>Double RGB in [0,1] to double YCbCr in [0,1] units (Y = 16/255 + ...).</summary>
    public static ImageBuffer<double> RgbToYCbCr(ImageBuffer<double> rgb) => throw new NotImplementedException();

    /// <summary>uint8 RGB to uint8 YCbCr, rounded and saturated as MATLAB.</summary>
    public static ImageBuffer<byte> RgbToYCbCr(ImageBuffer<byte> rgb) => throw new NotImplementedException();

    /// <summary>Double YCbCr in [0,1] units to double RGB (not clipped).</summary>
    public static ImageBuffer<double> YCbCrToRgb(ImageBuffer<double> ycbcr) => throw new NotImplementedException();
}
