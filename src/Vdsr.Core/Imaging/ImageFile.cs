using System.Buffers;
using SkiaSharp;
using Vdsr.Core.IO;

namespace Vdsr.Core.Imaging;

/// <summary>
/// Reads image files through Skia's decoders (libjpeg-turbo, libpng, libwebp, its own BMP and GIF)
/// and writes PNG, JPEG or BMP files atomically. Pixels are decoded without colour management and with
/// unpremultiplied alpha, so the values are the file's own; a file that ends early or holds
/// corrupt data is refused, never returned half-decoded.
/// </summary>
public static class ImageFile
{
    public const long DefaultMaxPixels = 100_000_000;
    public const int JpegQuality = 95;

    /// <summary>The header of an image file (size and planes), checked to be decodable by format.</summary>
    public static ImageHeader Identify(string path)
    {
        using var codec = Open(path);
        return HeaderOf(path, codec);
    }

    /// <summary>Decodes an image; the size is checked against maxPixels from the header before decoding.</summary>
    public static LoadedImage Load(string path, long maxPixels = DefaultMaxPixels)
    {
        using var codec = Open(path);
        var header = HeaderOf(path, codec);
        if (header.PixelCount > maxPixels)
            throw new VdsrUserException($"{path}: {header.Width}x{header.Height} image has more than the allowed {maxPixels} pixels");
        if (header.PixelCount * 4 > Array.MaxLength)
            throw new VdsrUserException($"{path}: a {header.Width}x{header.Height} image is too large to decode in one piece");

        var info = new SKImageInfo(header.Width, header.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        // Pooled: a fresh large array per image makes the GC hand back and re-fault memory (vdsr-prepare ran 10% slower).
        var rgba = ArrayPool<byte>.Shared.Rent(checked((int)info.BytesSize64));
        try
        {
            SKCodecResult result;
            unsafe
            {
                fixed (byte* pixels = rgba) result = codec.GetPixels(info, (IntPtr)pixels);
            }
            if (result != SKCodecResult.Success)
                throw new VdsrUserException($"{path}: {DecodeProblem(result)}");
            return Split(rgba, header);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    /// <summary>
    /// Writes PNG, JPEG or BMP (chosen by the extension) to a temporary file in the same folder and
    /// renames it into place, so a failed write leaves no partial file. JPEG and BMP drop the alpha.
    /// </summary>
    public static void Save(string path, ImageBuffer<byte> rgb, ImageBuffer<byte>? alpha = null)
    {
        if (rgb.Channels != 3) throw new ArgumentException($"expected RGB, got {rgb.Channels} channels", nameof(rgb));
        if (alpha is not null && (alpha.Height != rgb.Height || alpha.Width != rgb.Width || alpha.Channels != 1))
            throw new ArgumentException("alpha must be one channel of the image's size", nameof(alpha));
        if (rgb.Width < 1 || rgb.Height < 1)
            throw new ArgumentException($"cannot save an empty {rgb.Height}x{rgb.Width} image", nameof(rgb));

        var rgba = new byte[rgb.PixelCount * 4];
        for (long i = 0; i < rgb.PixelCount; i++)
        {
            rgba[4 * i] = rgb.Data[3 * i];
            rgba[4 * i + 1] = rgb.Data[3 * i + 1];
            rgba[4 * i + 2] = rgb.Data[3 * i + 2];
            rgba[4 * i + 3] = alpha?.Data[i] ?? 255;
        }
        var info = new SKImageInfo(rgb.Width, rgb.Height, SKColorType.Rgba8888, alpha is null ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        unsafe
        {
            fixed (byte* pixels = rgba)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)pixels);
                Save(path, pixmap);
            }
        }
    }

    /// <summary>Encodes drawn pixels (a comparison strip, a chart) by the extension of path, atomically.</summary>
    internal static void Save(string path, SKPixmap pixmap)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".jpg" or ".jpeg" or ".bmp"))
            throw new VdsrUserException($"{path}: unsupported output format (use .png, .jpg, .jpeg or .bmp)");
        if (extension == ".bmp")
        {
            if (pixmap.ColorType != SKColorType.Rgba8888) throw new ArgumentException("BMP output takes RGBA pixels", nameof(pixmap));
            var bytes = pixmap.GetPixelSpan().ToArray();
            AtomicFile.Write(path, stream => BmpEncoder.Write(stream, bytes, pixmap.Width, pixmap.Height));
            return;
        }
        using var data = extension == ".png"
            ? pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6))
            : pixmap.Encode(new SKJpegEncoderOptions(JpegQuality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore));
        if (data is null) throw new VdsrUserException($"{path}: the image could not be encoded");
        AtomicFile.Write(path, stream => data.SaveTo(stream));
    }

    private static SKCodec Open(string path)
    {
        if (Directory.Exists(path)) throw new VdsrUserException($"{path}: is a folder, not an image file");
        if (!File.Exists(path)) throw new VdsrUserException($"{path}: file not found");
        Stream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{path}: cannot read ({e.Message.ReplaceLineEndings(" ").Trim()})", e);
        }
        // Skia takes the stream and disposes of it with the codec.
        var codec = SKCodec.Create(stream, out var result);
        if (codec is null)
        {
            stream.Dispose();
            throw new VdsrUserException(result == SKCodecResult.IncompleteInput && HasImageSignature(path)
                ? $"{path}: truncated image (the file ends inside its header)"
                : $"{path}: not an image in a supported format ({ImageFormats.Description})");
        }
        return codec;
    }

    private static ImageHeader HeaderOf(string path, SKCodec codec)
    {
        var info = codec.Info;
        return new ImageHeader(info.Height, info.Width, PlanesOf(path, codec));
    }

    /// <summary>
    /// MATLAB's size(imread(file), 3). Skia expands palettes and gray-alpha to RGBA, so PNG and BMP
    /// files are told apart by their headers: PNG colour types 2 and 6 and BMPs of more than
    /// 8 bits per pixel hold colour planes; GIF is always indexed.
    /// </summary>
    private static int PlanesOf(string path, SKCodec codec)
    {
        switch (codec.EncodedFormat)
        {
            case SKEncodedImageFormat.Png:
                return ReadHeaderBytes(path, 26) is { } png && png[25] is 2 or 6 ? 3 : 1;
            case SKEncodedImageFormat.Bmp:
                return ReadHeaderBytes(path, 30) is { } bmp && (bmp[28] | bmp[29] << 8) > 8 ? 3 : 1;
            case SKEncodedImageFormat.Gif:
                return 1;
            default:
                return codec.Info.ColorType == SKColorType.Gray8 ? 1 : 3;
        }
    }

    /// <summary>Whether the file starts like a PNG, JPEG, BMP, GIF or WebP file.</summary>
    private static bool HasImageSignature(string path)
    {
        var head = new byte[12];
        using (var stream = File.OpenRead(path))
            head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        ReadOnlySpan<byte> h = head;
        return h.StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }) || h.StartsWith(new byte[] { 0xFF, 0xD8 }) || h.StartsWith("BM"u8)
            || h.StartsWith("GIF8"u8) || (h.StartsWith("RIFF"u8) && h.Length >= 12 && h[8..12].SequenceEqual("WEBP"u8));
    }

    private static byte[]? ReadHeaderBytes(string path, int count)
    {
        var bytes = new byte[count];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(bytes, count, throwOnEndOfStream: false) == count ? bytes : null;
    }

    private static string DecodeProblem(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "truncated image (the file ends before the pixel data does)",
        SKCodecResult.ErrorInInput => "corrupt image (invalid pixel data)",
        SKCodecResult.InvalidInput => "corrupt or unsupported image",
        _ => $"cannot decode the image ({result})",
    };

    private static LoadedImage Split(byte[] rgba, ImageHeader header)
    {
        var rgb = new ImageBuffer<byte>(header.Height, header.Width, 3);
        bool gray = true, opaque = true;
        for (long i = 0, n = header.PixelCount; i < n; i++)
        {
            byte r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
            rgb.Data[3 * i] = r;
            rgb.Data[3 * i + 1] = g;
            rgb.Data[3 * i + 2] = b;
            gray &= r == g && g == b;
            opaque &= rgba[4 * i + 3] == 255;
        }
        ImageBuffer<byte>? alpha = null;
        if (!opaque)
        {
            alpha = new ImageBuffer<byte>(header.Height, header.Width, 1);
            for (long i = 0; i < header.PixelCount; i++) alpha.Data[i] = rgba[4 * i + 3];
        }
        return new LoadedImage(rgb, alpha, gray, header);
    }
}
