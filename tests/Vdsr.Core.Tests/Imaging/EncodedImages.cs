using SkiaSharp;

namespace Vdsr.Core.Tests.Imaging;

/// <summary>Writes test pictures with Skia's own encoders, independently of the code under test.</summary>
internal static class EncodedImages
{
    /// <summary>An 8-bit gray PNG (colour type 0) of the given row-major values.</summary>
    public static void WriteGrayPng(string path, int width, int height, Func<int, int, byte> value) =>
        Write(path, SKColorType.Gray8, SKAlphaType.Opaque, width, height, 1, (x, y, _) => value(x, y));

    /// <summary>An RGB PNG (colour type 2).</summary>
    public static void WriteRgbPng(string path, int width, int height, Func<int, int, (byte R, byte G, byte B)> value) =>
        Write(path, SKColorType.Rgba8888, SKAlphaType.Opaque, width, height, 4, (x, y, c) =>
        {
            var (r, g, b) = value(x, y);
            return c switch { 0 => r, 1 => g, 2 => b, _ => 255 };
        });

    /// <summary>An RGBA PNG with straight alpha.</summary>
    public static void WriteRgbaPng(string path, int width, int height, Func<int, int, (byte R, byte G, byte B, byte A)> value) =>
        Write(path, SKColorType.Rgba8888, SKAlphaType.Unpremul, width, height, 4, (x, y, c) =>
        {
            var (r, g, b, a) = value(x, y);
            return c switch { 0 => r, 1 => g, 2 => b, _ => a };
        });

    private static void Write(string path, SKColorType type, SKAlphaType alpha, int width, int height, int channels, Func<int, int, int, byte> value)
    {
        var bytes = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    bytes[(y * width + x) * channels + c] = value(x, y, c);
        using var image = SKImage.FromPixelCopy(new SKImageInfo(width, height, type, alpha), bytes);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
