namespace Vdsr.Core.Imaging;

/// <summary>MATLAB rgb2ycbcr / ycbcr2rgb (ITU-R BT.601, Y in [16,235]) and im2double / im2uint8.</summary>
public static class ColorSpace
{
    private static readonly double[,] Forward =
    {
        { 65.481, 128.553, 24.966 },
        { -37.797, -74.203, 112.0 },
        { 112.0, -93.786, -18.214 },
    };
    private static readonly double[] Offset = { 16.0, 128.0, 128.0 };

    // inv(Forward) * 255 and inv(Forward) * Offset, as LAPACK computes them in double precision
    // (the values MATLAB's ycbcr2rgb and the NumPy reference use).
    private static readonly double[,] Inverse =
    {
        { 1.1643835616438358, 3.0112439739260676e-07, 1.596026887335704 },
        { 1.1643835616438358, -0.39176253994145005, -0.8129682921622053 },
        { 1.1643835616438358, 2.0172326395564593, 3.0542617453130873e-06 },
    };
    private static readonly double[] InverseOffset = { 0.8742024200360563, -0.5316682726390843, 1.0856325717452218 };

    /// <summary>Double RGB in [0,1] to double YCbCr in [0,1] units (Y = 16/255 + ...).</summary>
    public static ImageBuffer<double> RgbToYCbCr(ImageBuffer<double> rgb)
    {
        RequireThreeChannels(rgb.Channels);
        var (t, offset) = UnitForward();
        var result = new ImageBuffer<double>(rgb.Height, rgb.Width, 3);
        var src = rgb.Data;
        var dst = result.Data;
        for (int i = 0; i < src.Length; i += 3)
        {
            double r = src[i], g = src[i + 1], b = src[i + 2];
            for (int p = 0; p < 3; p++) dst[i + p] = t[p, 0] * r + t[p, 1] * g + t[p, 2] * b + offset[p];
        }
        return result;
    }

    /// <summary>The Y plane of <see cref="RgbToYCbCr(ImageBuffer{double})"/>, in [0,1] units, without computing Cb and Cr.</summary>
    public static ImageBuffer<double> Luma(ImageBuffer<double> rgb)
    {
        RequireThreeChannels(rgb.Channels);
        var (t, offset) = UnitForward();
        double t0 = t[0, 0], t1 = t[0, 1], t2 = t[0, 2], o = offset[0];
        var result = new ImageBuffer<double>(rgb.Height, rgb.Width, 1);
        var src = rgb.Data;
        for (int i = 0, k = 0; i < src.Length; i += 3, k++)
            result.Data[k] = t0 * src[i] + t1 * src[i + 1] + t2 * src[i + 2] + o;
        return result;
    }

    /// <summary>The Y plane of uint8 rgb2ycbcr, rounded and saturated as MATLAB.</summary>
    public static ImageBuffer<byte> Luma(ImageBuffer<byte> rgb)
    {
        RequireThreeChannels(rgb.Channels);
        // MATLAB scales the coefficients by fl(1/255) (one multiplication, not a division by 255)
        // and adds the offset unscaled; the two spellings differ by an ulp for some coefficients.
        const double toUnit = 1.0 / 255.0;
        double t0 = toUnit * Forward[0, 0], t1 = toUnit * Forward[0, 1], t2 = toUnit * Forward[0, 2];
        var result = new ImageBuffer<byte>(rgb.Height, rgb.Width, 1);
        var src = rgb.Data;
        for (int i = 0, k = 0; i < src.Length; i += 3, k++)
            result.Data[k] = SaturateToByte(t0 * src[i] + t1 * src[i + 1] + t2 * src[i + 2] + Offset[0]);
        return result;
    }

    /// <summary>
    /// ycbcr2rgb followed by im2uint8 (value * 255, rounded, saturated) without the intermediate
    /// double image.
    /// </summary>
    public static ImageBuffer<byte> YCbCrToRgbBytes(ImageBuffer<double> ycbcr)
    {
        RequireThreeChannels(ycbcr.Channels);
        var result = new ImageBuffer<byte>(ycbcr.Height, ycbcr.Width, 3);
        var src = ycbcr.Data;
        var dst = result.Data;
        for (int i = 0; i < src.Length; i += 3)
        {
            double a = src[i], b = src[i + 1], c = src[i + 2];
            for (int p = 0; p < 3; p++)
                dst[i + p] = SaturateToByte((Inverse[p, 0] * a + Inverse[p, 1] * b + Inverse[p, 2] * c - InverseOffset[p]) * 255.0);
        }
        return result;
    }

    /// <summary>The Y plane of a YCbCr image in [0,1] units, scaled to 0..255 (im_gt_y, im_b_y).</summary>
    public static ImageBuffer<double> LumaTimes255(ImageBuffer<double> ycbcr) => Times255(ycbcr.Channel(0));

    /// <summary>A plane in [0,1] units scaled to 0..255 units.</summary>
    public static ImageBuffer<double> Times255(ImageBuffer<double> plane) => plane.Map(v => v * 255.0);

    /// <summary>MATLAB im2double for uint8: value / 255.</summary>
    public static ImageBuffer<double> ToUnitRange(ImageBuffer<byte> image)
    {
        var result = new ImageBuffer<double>(image.Height, image.Width, image.Channels);
        for (int i = 0; i < image.Data.Length; i++) result.Data[i] = image.Data[i] / 255.0;
        return result;
    }

    /// <summary>MATLAB im2uint8 for double in [0,1]: value * 255, rounded half away from zero, saturated (NaN to 0).</summary>
    public static ImageBuffer<byte> ToBytes(ImageBuffer<double> image)
    {
        var result = new ImageBuffer<byte>(image.Height, image.Width, image.Channels);
        for (int i = 0; i < image.Data.Length; i++) result.Data[i] = SaturateToByte(image.Data[i] * 255.0);
        return result;
    }

    /// <summary>MATLAB's conversion of a double to uint8: round half away from zero, clamp to 0..255, NaN to 0.</summary>
    public static byte SaturateToByte(double value)
    {
        if (double.IsNaN(value)) return 0;
        return (byte)Math.Round(Math.Clamp(value, 0.0, 255.0), MidpointRounding.AwayFromZero);
    }

    private static (double[,] T, double[] Offset) UnitForward()
    {
        var t = new double[3, 3];
        var offset = new double[3];
        for (int p = 0; p < 3; p++)
        {
            for (int q = 0; q < 3; q++) t[p, q] = Forward[p, q] / 255.0;
            offset[p] = Offset[p] / 255.0;
        }
        return (t, offset);
    }

    private static void RequireThreeChannels(int channels)
    {
        if (channels != 3) throw new ArgumentException($"expected a 3-channel image, got {channels} channels");
    }
}
