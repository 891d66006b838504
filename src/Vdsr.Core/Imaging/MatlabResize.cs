using System.Numerics;

namespace Vdsr.Core.Imaging;

/// <summary>
/// MATLAB imresize(..., 'bicubic'): Keys cubic (a = -0.5), antialiasing when shrinking, symmetric
/// edge handling, the dimension with the smaller scale resized first (rows first on ties).
/// </summary>
public static class MatlabResize
{
    /// <summary>imresize(image, scale): output size ceil(scale * n), antialiasing when scale &lt; 1.</summary>
    public static ImageBuffer<double> Resize(ImageBuffer<double> image, double scale)
    {
        var (outHeight, outWidth) = OutputSize(image, scale);
        return Run(image.Data, image, scale, scale, outHeight, outWidth, roundToByte: false);
    }

    /// <summary>imresize(image, [rows cols]).</summary>
    public static ImageBuffer<double> Resize(ImageBuffer<double> image, int outHeight, int outWidth)
    {
        CheckSize(image, outHeight, outWidth);
        return Run(image.Data, image, (double)outHeight / image.Height, (double)outWidth / image.Width,
            outHeight, outWidth, roundToByte: false);
    }

    /// <summary>uint8 semantics: rounded half away from zero and saturated after each 1-D pass.</summary>
    public static ImageBuffer<byte> Resize(ImageBuffer<byte> image, double scale)
    {
        var (outHeight, outWidth) = OutputSize(image, scale);
        return ToBytes(Run(ToDoubles(image.Data), image, scale, scale, outHeight, outWidth, roundToByte: true));
    }

    public static ImageBuffer<byte> Resize(ImageBuffer<byte> image, int outHeight, int outWidth)
    {
        CheckSize(image, outHeight, outWidth);
        return ToBytes(Run(ToDoubles(image.Data), image, (double)outHeight / image.Height,
            (double)outWidth / image.Width, outHeight, outWidth, roundToByte: true));
    }

    private static (int Height, int Width) OutputSize<T>(ImageBuffer<T> image, double scale)
        where T : unmanaged, INumber<T>
    {
        if (!(scale > 0) || double.IsInfinity(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), $"scale must be positive and finite, got {scale}");
        double h = Math.Ceiling(scale * image.Height), w = Math.Ceiling(scale * image.Width);
        if (h > int.MaxValue || w > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(scale), $"scale {scale} gives an output too large");
        CheckSize(image, (int)h, (int)w);
        return ((int)h, (int)w);
    }

    private static void CheckSize<T>(ImageBuffer<T> image, int outHeight, int outWidth)
        where T : unmanaged, INumber<T>
    {
        if (image.Height < 1 || image.Width < 1)
            throw new ArgumentException($"cannot resize an empty {image.Height}x{image.Width} image");
        if (outHeight < 1 || outWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(outHeight), $"output size {outHeight}x{outWidth} is empty");
    }

    private static ImageBuffer<double> Run<T>(double[] data, ImageBuffer<T> image, double rowScale, double colScale,
        int outHeight, int outWidth, bool roundToByte) where T : unmanaged, INumber<T>
    {
        int height = image.Height, width = image.Width, channels = image.Channels;
        var rows = ResizeContributions.Create(height, outHeight, rowScale);
        var cols = ResizeContributions.Create(width, outWidth, colScale);
        if (rowScale <= colScale)
        {
            data = ResizeRows(data, width * channels, rows);
            if (roundToByte) RoundAndSaturate(data);
            data = ResizeColumns(data, outHeight, width, channels, cols);
        }
        else
        {
            data = ResizeColumns(data, height, width, channels, cols);
            if (roundToByte) RoundAndSaturate(data);
            data = ResizeRows(data, outWidth * channels, rows);
        }
        if (roundToByte) RoundAndSaturate(data);
        return new ImageBuffer<double>(outHeight, outWidth, channels, data);
    }

    /// <summary>Along dimension 1: whole rows of rowLength values are combined.</summary>
    private static double[] ResizeRows(double[] input, int rowLength, ResizeContributions c)
    {
        var output = new double[c.OutLength * rowLength];
        int taps = c.TapCount;
        Parallel.For(0, c.OutLength, i =>
        {
            var dst = output.AsSpan(i * rowLength, rowLength);
            for (int k = 0; k < taps; k++)
            {
                double w = c.Weights[i * taps + k];
                var src = input.AsSpan(c.Indices[i * taps + k] * rowLength, rowLength);
                MultiplyAdd(dst, src, w);
            }
        });
        return output;
    }

    /// <summary>dst[j] += w * src[j], product and sum each rounded (no fused multiply-add).</summary>
    private static void MultiplyAdd(Span<double> dst, ReadOnlySpan<double> src, double w)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var wv = new Vector<double>(w);
            for (; j <= dst.Length - Vector<double>.Count; j += Vector<double>.Count)
            {
                var product = wv * new Vector<double>(src[j..]);
                (new Vector<double>(dst[j..]) + product).CopyTo(dst[j..]);
            }
        }
        for (; j < dst.Length; j++) dst[j] += w * src[j];
    }

    /// <summary>Along dimension 2: within each image row, pixels (of all channels) are combined.</summary>
    private static double[] ResizeColumns(double[] input, int height, int width, int channels, ResizeContributions c)
    {
        int outWidth = c.OutLength, taps = c.TapCount;
        var output = new double[height * outWidth * channels];
        Parallel.For(0, height, r =>
        {
            int inRow = r * width * channels, outRow = r * outWidth * channels;
            for (int j = 0; j < outWidth; j++)
            {
                for (int ch = 0; ch < channels; ch++)
                {
                    double acc = 0.0;
                    for (int k = 0; k < taps; k++)
                        acc += c.Weights[j * taps + k] * input[inRow + c.Indices[j * taps + k] * channels + ch];
                    output[outRow + j * channels + ch] = acc;
                }
            }
        });
        return output;
    }

    private static void RoundAndSaturate(double[] data)
    {
        for (int i = 0; i < data.Length; i++)
            data[i] = Math.Round(Math.Clamp(data[i], 0.0, 255.0), MidpointRounding.AwayFromZero);
    }

    private static double[] ToDoubles(byte[] data)
    {
        var result = new double[data.Length];
        for (int i = 0; i < data.Length; i++) result[i] = data[i];
        return result;
    }

    private static ImageBuffer<byte> ToBytes(ImageBuffer<double> image)
    {
        var result = new ImageBuffer<byte>(image.Height, image.Width, image.Channels);
        for (int i = 0; i < image.Data.Length; i++) result.Data[i] = (byte)image.Data[i];
        return result;
    }
}
