using Vdsr.Core.Imaging;

namespace Vdsr.Tools.Tests;

/// <summary>Small image files written for the tests.</summary>
internal static class TestImages
{
    public static void WriteRgb(string path, int width, int height)
    {
        var image = new ImageBuffer<byte>(height, width, 3);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                image[y, x, 0] = (byte)(x * 9);
                image[y, x, 1] = (byte)(y * 7);
                image[y, x, 2] = (byte)((x + y) * 5);
            }
        ImageFile.Save(path, image);
    }
}
