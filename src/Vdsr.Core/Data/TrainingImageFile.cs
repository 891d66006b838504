using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Data;

/// <summary>
/// Reads training images. Like MATLAB's size(image, 3) == 3 test, only 24-bit (or 48-bit) RGB
/// files count as colour; gray, palette and alpha images are reported as unusable.
/// </summary>
internal static class TrainingImageFile
{
    public sealed record Info(int Height, int Width, bool IsRgb);

    public static Info Identify(string path)
    {
        IImageInfo? info;
        try { info = Image.Identify(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageFormatException or NotSupportedException)
        {
            throw Unreadable(path, e.Message);
        }
        if (info is null) throw Unreadable(path, "unknown image format");
        int bits = info.PixelType.BitsPerPixel;
        return new Info(info.Height, info.Width, bits is 24 or 48);
    }

    /// <summary>The image as uint8 RGB (HWC).</summary>
    public static ImageBuffer<byte> LoadRgb(string path)
    {
        try
        {
            using var image = Image.Load<Rgb24>(path);
            var buffer = new ImageBuffer<byte>(image.Height, image.Width, 3);
            image.CopyPixelDataTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.Data.AsSpan()));
            return buffer;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageFormatException or NotSupportedException or UnknownImageFormatException)
        {
            throw Unreadable(path, e.Message);
        }
    }

    private static VdsrUserException Unreadable(string path, string why) =>
        new($"{path}: cannot read the image ({why.ReplaceLineEndings(" ")})");
}
