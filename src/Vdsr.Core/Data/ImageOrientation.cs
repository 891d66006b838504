using System.Numerics;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Data;

/// <summary>The flips and exact rotations generate_train.m applies (flipdim, imrotate by 90k).</summary>
internal static class ImageOrientation
{
    public enum Flip { Rows, Columns, None }

    /// <summary>flipdim(image, 1) reverses the rows, flipdim(image, 2) the columns.</summary>
    public static ImageBuffer<T> Apply<T>(ImageBuffer<T> image, Flip flip) where T : unmanaged, INumber<T>
    {
        if (flip == Flip.None) return image;
        int h = image.Height, w = image.Width, c = image.Channels;
        var result = new ImageBuffer<T>(h, w, c);
        for (int r = 0; r < h; r++)
            for (int col = 0; col < w; col++)
            {
                int sr = flip == Flip.Rows ? h - 1 - r : r;
                int sc = flip == Flip.Columns ? w - 1 - col : col;
                Array.Copy(image.Data, (sr * w + sc) * c, result.Data, (r * w + col) * c, c);
            }
        return result;
    }

    /// <summary>imrotate(image, 90 * quarterTurns): counter-clockwise, exact (numpy rot90).</summary>
    public static ImageBuffer<T> RotateCounterClockwise<T>(ImageBuffer<T> image, int quarterTurns) where T : unmanaged, INumber<T>
    {
        int k = ((quarterTurns % 4) + 4) % 4;
        if (k == 0) return image;
        int h = image.Height, w = image.Width, c = image.Channels;
        bool swap = k % 2 == 1;
        int oh = swap ? w : h, ow = swap ? h : w;
        var result = new ImageBuffer<T>(oh, ow, c);
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                (int sr, int sc) = k switch
                {
                    1 => (j, w - 1 - i),
                    2 => (h - 1 - i, w - 1 - j),
                    _ => (h - 1 - j, i),
                };
                Array.Copy(image.Data, (sr * w + sc) * c, result.Data, (i * ow + j) * c, c);
            }
        return result;
    }
}
