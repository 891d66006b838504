using Vdsr.Core.Imaging;
using Vdsr.Core.Tests.BadInput;

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

    /// <summary>A valid PNG whose header claims <paramref name="width"/> x <paramref name="height"/> pixels, with one tiny IDAT.</summary>
    public static void WritePngClaiming(string path, uint width, uint height) =>
        File.WriteAllBytes(path, [.. PngChunks.Signature, .. PngChunks.Header(width, height),
            .. PngChunks.Chunk("IDAT", PngChunks.ZLib(new byte[64])), .. PngChunks.Chunk("IEND", [])]);
}
