using System.Numerics;

namespace Vdsr.Core.Imaging;

/// <summary>
/// A height x width x channels image, row-major with channels interleaved (HWC), as MATLAB's
/// arrays are indexed (rows, cols, planes). T is byte for MATLAB uint8 and double for double.
/// </summary>
public sealed class ImageBuffer<T> where T : unmanaged, INumber<T>
{
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public T[] Data { get; }

    public ImageBuffer(int height, int width, int channels)
        : this(height, width, channels, new T[checked(height * width * channels)]) { }

    public ImageBuffer(int height, int width, int channels, T[] data)
    {
        if (height < 0 || width < 0 || channels < 1)
            throw new ArgumentException($"invalid image size {height}x{width}x{channels}");
        if (data.Length != (long)height * width * channels)
            throw new ArgumentException($"{data.Length} values do not fill a {height}x{width}x{channels} image");
        Height = height;
        Width = width;
        Channels = channels;
        Data = data;
    }

    public T this[int row, int col, int channel = 0]
    {
        get => Data[(row * Width + col) * Channels + channel];
        set => Data[(row * Width + col) * Channels + channel] = value;
    }

    public long PixelCount => (long)Height * Width;

    /// <summary>One channel as a single-channel image.</summary>
    public ImageBuffer<T> Channel(int channel)
    {
        if (channel < 0 || channel >= Channels) throw new ArgumentOutOfRangeException(nameof(channel));
        var result = new ImageBuffer<T>(Height, Width, 1);
        for (int i = 0, n = Height * Width; i < n; i++)
            result.Data[i] = Data[i * Channels + channel];
        return result;
    }

    /// <summary>Replaces one channel with the values of a single-channel image of the same size.</summary>
    public void SetChannel(int channel, ImageBuffer<T> plane)
    {
        if (plane.Height != Height || plane.Width != Width || plane.Channels != 1)
            throw new ArgumentException("plane size does not match the image");
        for (int i = 0, n = Height * Width; i < n; i++)
            Data[i * Channels + channel] = plane.Data[i];
    }

    /// <summary>The rows [top, top+height) and columns [left, left+width).</summary>
    public ImageBuffer<T> Crop(int top, int left, int height, int width)
    {
        if (top < 0 || left < 0 || height < 0 || width < 0 || top + height > Height || left + width > Width)
            throw new ArgumentOutOfRangeException(nameof(height), $"crop {top},{left} {height}x{width} outside a {Height}x{Width} image");
        var result = new ImageBuffer<T>(height, width, Channels);
        int rowLength = width * Channels;
        for (int r = 0; r < height; r++)
            Array.Copy(Data, ((top + r) * Width + left) * Channels, result.Data, r * rowLength, rowLength);
        return result;
    }

    public ImageBuffer<T> Clone() => new(Height, Width, Channels, (T[])Data.Clone());

    /// <summary>Element-wise conversion (e.g. uint8 to double) without scaling.</summary>
    public ImageBuffer<TOut> Convert<TOut>() where TOut : unmanaged, INumber<TOut>
    {
        var result = new ImageBuffer<TOut>(Height, Width, Channels);
        for (int i = 0; i < Data.Length; i++)
            result.Data[i] = TOut.CreateChecked(Data[i]);
        return result;
    }

    public ImageBuffer<T> Map(Func<T, T> f)
    {
        var result = new ImageBuffer<T>(Height, Width, Channels);
        for (int i = 0; i < Data.Length; i++)
            result.Data[i] = f(Data[i]);
        return result;
    }
}
