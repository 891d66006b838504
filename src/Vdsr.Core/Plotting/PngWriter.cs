using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Vdsr.Core.IO;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Plotting;

/// <summary>Writes 8-bit gray or RGB images as PNG files.</summary>
public static class PngWriter
{
    /// <summary>
    /// Encodes the image (1 or 3 channels) to a temporary file next to path and renames it into
    /// place, so a reader never sees a half-written picture and a failed write keeps the old file.
    /// </summary>
    public static void Save(ImageBuffer<byte> image, string path)
    {
        if (image.Channels != 1 && image.Channels != 3)
            throw new ArgumentException($"a PNG needs 1 or 3 channels, not {image.Channels}", nameof(image));
        if (image.Width < 1 || image.Height < 1)
            throw new ArgumentException($"cannot save an empty {image.Height}x{image.Width} image", nameof(image));

        AtomicFile.Write(path, stream => Encode(image, stream));
    }

    private static void Encode(ImageBuffer<byte> image, Stream stream)
    {
        var encoder = new PngEncoder { CompressionLevel = PngCompressionLevel.DefaultCompression };
        if (image.Channels == 3)
        {
            using var rgb = Image.LoadPixelData<Rgb24>(image.Data, image.Width, image.Height);
            rgb.SaveAsPng(stream, encoder);
        }
        else
        {
            using var gray = Image.LoadPixelData<L8>(image.Data, image.Width, image.Height);
            gray.SaveAsPng(stream, encoder);
        }
    }
}
