using Vdsr.Core.Imaging;
using Vdsr.Core.Plotting;

namespace Vdsr.Core.Tests.Plotting;

/// <summary>Pixel queries the plotting tests share.</summary>
internal static class CanvasInspection
{
    public static Rgb Pixel(ImageBuffer<byte> image, int x, int y) =>
        new(image[y, x, 0], image[y, x, 1], image[y, x, 2]);

    public static int Count(ImageBuffer<byte> image, Rgb color, int left = 0, int top = 0, int width = int.MaxValue, int height = int.MaxValue)
    {
        int count = 0;
        for (int y = Math.Max(top, 0); y < Math.Min(image.Height, (long)top + height); y++)
            for (int x = Math.Max(left, 0); x < Math.Min(image.Width, (long)left + width); x++)
                if (Pixel(image, x, y) == color) count++;
        return count;
    }

    /// <summary>Bounding box (inclusive) of the pixels that differ from the background, or null.</summary>
    public static (int Left, int Top, int Right, int Bottom)? Ink(ImageBuffer<byte> image, Rgb background)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if (Pixel(image, x, y) != background)
                {
                    left = Math.Min(left, x); right = Math.Max(right, x);
                    top = Math.Min(top, y); bottom = Math.Max(bottom, y);
                }
        return right < 0 ? null : (left, top, right, bottom);
    }

    /// <summary>A temporary folder removed when disposed.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("vdsr-plot-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
