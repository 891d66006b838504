using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vdsr.Tools.Tests;

/// <summary>Small image files written for the tests.</summary>
internal static class TestImages
{
    public static void WriteRgb(string path, int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            image[x, y] = new Rgb24((byte)(x * 9), (byte)(y * 7), (byte)((x + y) * 5));
        image.Save(path);
    }
}
