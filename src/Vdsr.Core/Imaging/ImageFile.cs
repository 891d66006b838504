using Vdsr.Core.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Vdsr.Core.Imaging;

/// <summary>Reads image files into ImageBuffers and writes PNG, BMP or JPEG files atomically.</summary>
public static class ImageFile
{
    public const long DefaultMaxPixels = 100_000_000;
    public const int JpegQuality = 95;

    /// <summary>Decodes an image; the size is checked against maxPixels from the header before decoding.</summary>
    public static LoadedImage Load(string path, long maxPixels = DefaultMaxPixels)
    {
        if (Directory.Exists(path)) throw new VdsrUserException($"{path}: is a folder, not an image file");
        if (!File.Exists(path)) throw new VdsrUserException($"{path}: file not found");
        try
        {
            var info = Image.Identify(path)
                ?? throw new VdsrUserException($"{path}: not an image in a supported format (PNG, BMP, JPEG, GIF, TGA, TIFF, WebP, PBM)");
            long pixels = (long)info.Width * info.Height;
            if (pixels > maxPixels)
                throw new VdsrUserException($"{path}: {info.Width}x{info.Height} image has more than the allowed {maxPixels} pixels");
            using var image = Image.Load<Rgba32>(path);
            return ToLoadedImage(image);
        }
        catch (UnknownImageFormatException)
        {
            throw new VdsrUserException($"{path}: not an image in a supported format (PNG, BMP, JPEG, GIF, TGA, TIFF, WebP, PBM)");
        }
        catch (ImageFormatException e)
        {
            throw new VdsrUserException($"{path}: corrupt or truncated image ({OneLine(e.Message)})", e);
        }
        catch (NotSupportedException e)
        {
            throw new VdsrUserException($"{path}: unsupported image variant ({OneLine(e.Message)})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{path}: cannot read ({OneLine(e.Message)})", e);
        }
    }

    /// <summary>
    /// Writes PNG, BMP or JPEG (chosen by the extension) to a temporary file in the same folder and
    /// renames it into place, so a failed write leaves no partial file. JPEG cannot hold alpha: it is dropped.
    /// </summary>
    public static void Save(string path, ImageBuffer<byte> rgb, ImageBuffer<byte>? alpha = null)
    {
        if (rgb.Channels != 3) throw new ArgumentException($"expected RGB, got {rgb.Channels} channels", nameof(rgb));
        if (alpha is not null && (alpha.Height != rgb.Height || alpha.Width != rgb.Width || alpha.Channels != 1))
            throw new ArgumentException("alpha must be one channel of the image's size", nameof(alpha));
        var encoder = EncoderFor(path, alpha is not null);

        try
        {
            AtomicFile.Write(path, stream =>
            {
                using var image = ToImage(rgb, alpha);
                image.Save(stream, encoder);
            });
        }
        catch (ImageProcessingException e)
        {
            throw new VdsrUserException($"{path}: cannot write ({OneLine(e.Message)})", e);
        }
    }

    private static IImageEncoder EncoderFor(string path, bool hasAlpha)
    {
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".png":
                return new PngEncoder
                {
                    ColorType = hasAlpha ? PngColorType.RgbWithAlpha : PngColorType.Rgb,
                    BitDepth = PngBitDepth.Bit8,
                };
            case ".bmp":
                return new BmpEncoder { BitsPerPixel = hasAlpha ? BmpBitsPerPixel.Pixel32 : BmpBitsPerPixel.Pixel24 };
            case ".jpg":
            case ".jpeg":
                return new JpegEncoder { Quality = JpegQuality };
            default:
                throw new VdsrUserException($"{path}: unsupported output format (use .png, .bmp, .jpg or .jpeg)");
        }
    }

    private static LoadedImage ToLoadedImage(Image<Rgba32> image)
    {
        int height = image.Height, width = image.Width;
        var pixels = new Rgba32[(long)height * width];
        image.CopyPixelDataTo(pixels);
        var rgb = new ImageBuffer<byte>(height, width, 3);
        var alpha = new ImageBuffer<byte>(height, width, 1);
        bool gray = true, opaque = true;
        for (int i = 0; i < pixels.Length; i++)
        {
            var p = pixels[i];
            rgb.Data[3 * i] = p.R;
            rgb.Data[3 * i + 1] = p.G;
            rgb.Data[3 * i + 2] = p.B;
            alpha.Data[i] = p.A;
            gray &= p.R == p.G && p.G == p.B;
            opaque &= p.A == 255;
        }
        return new LoadedImage(rgb, opaque ? null : alpha, gray);
    }

    private static Image<Rgba32> ToImage(ImageBuffer<byte> rgb, ImageBuffer<byte>? alpha)
    {
        var pixels = new Rgba32[rgb.PixelCount];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = new Rgba32(rgb.Data[3 * i], rgb.Data[3 * i + 1], rgb.Data[3 * i + 2], alpha?.Data[i] ?? 255);
        return Image.LoadPixelData<Rgba32>(pixels, rgb.Width, rgb.Height);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
