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
        var t = new double[3, 3];
        var offset = new double[3];
        for (int p = 0; p < 3; p++)
        {
            for (int q = 0; q < 3; q++) t[p, q] = Forward[p, q] / 255.0;
            offset[p] = Offset[p] / 255.0;
        }
        return Apply(rgb, t, offset, subtractOffset: false);
    }

    /// <summary>uint8 RGB to uint8 YCbCr, rounded and saturated as MATLAB.</summary>
    public static ImageBuffer<byte> RgbToYCbCr(ImageBuffer<byte> rgb)
    {
        RequireThreeChannels(rgb.Channels);
        // MATLAB scales the coefficients by fl(1/255) (one multiplication, not a division by 255)
        // and adds the offset unscaled; the two spellings differ by an ulp for some coefficients.
        const double toUnit = 1.0 / 255.0;
        var t = new double[3, 3];
        for (int p = 0; p < 3; p++)
            for (int q = 0; q < 3; q++) t[p, q] = toUnit * Forward[p, q];
        return MapPixels(rgb, (r, g, b, p) => SaturateToByte(t[p, 0] * r + t[p, 1] * g + t[p, 2] * b + Offset[p]));
    }

    /// <summary>Double YCbCr in [0,1] units to double RGB (not clipped).</summary>
    public static ImageBuffer<double> YCbCrToRgb(ImageBuffer<double> ycbcr)
    {
        RequireThreeChannels(ycbcr.Channels);
        return Apply(ycbcr, Inverse, InverseOffset, subtractOffset: true);
    }

    /// <summary>
    /// ycbcr2rgb followed by im2uint8 (value * 255, rounded, saturated) without the intermediate
    /// double image; same values as ToBytes(YCbCrToRgb(ycbcr)).
    /// </summary>
    public static ImageBuffer<byte> YCbCrToRgbBytes(ImageBuffer<double> ycbcr)
    {
        RequireThreeChannels(ycbcr.Channels);
        return MapPixels(ycbcr, (a, b, c, p) =>
            SaturateToByte((Inverse[p, 0] * a + Inverse[p, 1] * b + Inverse[p, 2] * c - InverseOffset[p]) * 255.0));
    }

    /// <summary>The Y plane of a YCbCr image in [0,1] units, scaled to 0..255 (im_gt_y, im_b_y).</summary>
    public static ImageBuffer<double> LumaTimes255(ImageBuffer<double> ycbcr)
    {
        var y = ycbcr.Channel(0);
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] *= 255.0;
        return y;
    }

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

    private static ImageBuffer<double> Apply(ImageBuffer<double> image, double[,] t, double[] offset, bool subtractOffset) =>
        MapPixels(image, (a, b, c, p) =>
        {
            double sum = t[p, 0] * a + t[p, 1] * b + t[p, 2] * c;
            return subtractOffset ? sum - offset[p] : sum + offset[p];
        });

    /// <summary>Computes each output channel p of a 3-channel image from the pixel's three input values.</summary>
    private static ImageBuffer<TOut> MapPixels<TIn, TOut>(ImageBuffer<TIn> image, Func<double, double, double, int, TOut> channel)
        where TIn : unmanaged, System.Numerics.INumber<TIn>
        where TOut : unmanaged, System.Numerics.INumber<TOut>
    {
        var result = new ImageBuffer<TOut>(image.Height, image.Width, 3);
        var src = image.Data;
        var dst = result.Data;
        for (int i = 0; i < src.Length; i += 3)
        {
            double a = double.CreateTruncating(src[i]), b = double.CreateTruncating(src[i + 1]), c = double.CreateTruncating(src[i + 2]);
            for (int p = 0; p < 3; p++) dst[i + p] = channel(a, b, c, p);
        }
        return result;
    }

    private static void RequireThreeChannels(int channels)
    {
        if (channels != 3) throw new ArgumentException($"expected a 3-channel image, got {channels} channels");
    }
}
