namespace Vdsr.Core.Imaging;

/// <summary>Conversions between <see cref="ImageBuffer{T}"/> planes and the interleaved RGBA8888 pixels Skia reads and writes.</summary>
internal static class RgbaPixels
{
    /// <summary>RGBA of a gray (1-channel) or RGB image; alpha 255 unless <paramref name="alpha"/> is given.</summary>
    public static byte[] Pack(ImageBuffer<byte> image, ImageBuffer<byte>? alpha = null)
    {
        if (image.Channels is not (1 or 3)) throw new ArgumentException($"expected 1 or 3 channels, got {image.Channels}", nameof(image));
        var rgba = new byte[image.PixelCount * 4];
        int channels = image.Channels, green = channels == 3 ? 1 : 0, blue = channels == 3 ? 2 : 0;
        for (long i = 0; i < image.PixelCount; i++)
        {
            long source = channels * i;
            rgba[4 * i] = image.Data[source];
            rgba[4 * i + 1] = image.Data[source + green];
            rgba[4 * i + 2] = image.Data[source + blue];
            rgba[4 * i + 3] = alpha?.Data[i] ?? 255;
        }
        return rgba;
    }

    /// <summary>
    /// The RGB of <paramref name="rgba"/>, its alpha plane only when some pixel is not fully opaque,
    /// and whether every pixel is gray (R = G = B).
    /// </summary>
    public static (ImageBuffer<byte> Rgb, ImageBuffer<byte>? Alpha, bool IsGray) Unpack(ReadOnlySpan<byte> rgba, int height, int width)
    {
        var rgb = new ImageBuffer<byte>(height, width, 3);
        bool gray = true, opaque = true;
        for (int i = 0, n = height * width; i < n; i++)
        {
            byte r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
            rgb.Data[3 * i] = r;
            rgb.Data[3 * i + 1] = g;
            rgb.Data[3 * i + 2] = b;
            gray &= r == g && g == b;
            opaque &= rgba[4 * i + 3] == 255;
        }
        ImageBuffer<byte>? alpha = null;
        if (!opaque)
        {
            alpha = new ImageBuffer<byte>(height, width, 1);
            for (int i = 0; i < alpha.Data.Length; i++) alpha.Data[i] = rgba[4 * i + 3];
        }
        return (rgb, alpha, gray);
    }
}
