using System.Buffers;
using System.Buffers.Binary;
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
        using var image = Open(path);
        return HeaderOf(image);
    }

    /// <summary>
    /// The header, refused as <see cref="Load"/> would refuse it before decoding (more than
    /// <paramref name="maxPixels"/>, a PNG too short for its size): a check that decodes no pixel.
    /// </summary>
    public static ImageHeader Identify(string path, long maxPixels)
    {
        using var image = Open(path);
        return CheckedHeader(image, path, maxPixels);
    }

    /// <summary>Decodes an image; the size is checked against maxPixels from the header before decoding.</summary>
    public static LoadedImage Load(string path, long maxPixels = DefaultMaxPixels)
    {
        using var image = Open(path);
        var header = CheckedHeader(image, path, maxPixels);

        var info = new SKImageInfo(header.Width, header.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        // Pooled: a fresh large array per image makes the GC hand back and re-fault memory (vdsr-prepare ran 10% slower).
        var rgba = ArrayPool<byte>.Shared.Rent(checked((int)info.BytesSize64));
        try
        {
            SKCodecResult result;
            unsafe
            {
                fixed (byte* pixels = rgba) result = image.Codec.GetPixels(info, (IntPtr)pixels);
            }
            if (result != SKCodecResult.Success)
            {
                // Skia's WebP decoder reports a cut file as invalid; the RIFF length tells it apart.
                if (IsShorterThanItsRiffHeaderSays(image.Head, image.FileLength)) result = SKCodecResult.IncompleteInput;
                throw new VdsrUserException($"{path}: {DecodeProblem(result)}");
            }
            var (rgb, alpha, gray) = RgbaPixels.Unpack(rgba, header.Height, header.Width);
            return new LoadedImage(rgb, alpha, gray, header);
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

        var rgba = RgbaPixels.Pack(rgb, alpha);
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

    /// <summary>An open codec, the first bytes of its file (what the header checks read) and its length.</summary>
    private sealed class OpenedImage(SKCodec codec, byte[] head, long fileLength) : IDisposable
    {
        public SKCodec Codec { get; } = codec;
        public byte[] Head { get; } = head;
        public long FileLength { get; } = fileLength;
        public void Dispose() => Codec.Dispose();
    }

    private const int HeadLength = 32;

    private static OpenedImage Open(string path)
    {
        if (Directory.Exists(path)) throw new VdsrUserException($"{path}: is a folder, not an image file");
        if (!File.Exists(path)) throw new VdsrUserException($"{path}: file not found");
        WholeFile.RequireRegular(path, "image file");
        byte[] bytes;
        try
        {
            bytes = WholeFile.Read(path, "image file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{path}: cannot read ({e.Message.ReplaceLineEndings(" ").Trim()})", e);
        }
        if (bytes.Length == 0) throw new VdsrUserException($"{path}: the file is empty, not an image");
        long length = bytes.Length;
        byte[] head = bytes[..Math.Min(HeadLength, bytes.Length)];
        // Skia reads from its own copy in native memory, never through a managed stream: a managed
        // stream's callback throws on the huge reads a corrupt header asks for, and an exception
        // thrown inside a native callback ends the process.
        SKMemoryStream stream;
        using (var data = SKData.CreateCopy(bytes))
            stream = new SKMemoryStream(data); // holds its own reference to the data
        var codec = SKCodec.Create(stream, out var result); // takes the stream and disposes of it with the codec
        if (codec is null)
        {
            stream.Dispose();
            throw new VdsrUserException(HasImageSignature(head) && (result == SKCodecResult.IncompleteInput || IsShorterThanItsRiffHeaderSays(head, length))
                ? $"{path}: truncated image (the file ends inside its header)"
                : $"{path}: not an image in a supported format ({ImageFormats.Description})");
        }
        var image = new OpenedImage(codec, head, length);
        try
        {
            CheckSingleFrame(image, path);
        }
        catch
        {
            image.Dispose();
            throw;
        }
        return image;
    }

    /// <summary>The tools read single pictures; taking the first frame of an animation silently would hide the rest.</summary>
    private static void CheckSingleFrame(OpenedImage image, string path)
    {
        int frames = image.Codec.FrameCount;
        if (frames > 1)
            throw new VdsrUserException($"{path}: animated {image.Codec.EncodedFormat.ToString().ToUpperInvariant()} with {frames} frames; the tools read single pictures (save one frame as PNG)");
    }

    /// <summary>A RIFF (WebP) file declares its length in its first 8 bytes.</summary>
    private static bool IsShorterThanItsRiffHeaderSays(ReadOnlySpan<byte> head, long length) =>
        head.StartsWith("RIFF"u8) && head.Length >= 8 && 8L + BinaryPrimitives.ReadUInt32LittleEndian(head[4..]) > length;

    private static ImageHeader CheckedHeader(OpenedImage image, string path, long maxPixels)
    {
        var header = HeaderOf(image);
        if (header.PixelCount > maxPixels)
            throw new VdsrUserException($"{path}: {header.Width}x{header.Height} image has more than the allowed {maxPixels} pixels");
        if (header.PixelCount * 4 > Array.MaxLength)
            throw new VdsrUserException($"{path}: a {header.Width}x{header.Height} image is too large to decode in one piece");
        if (image.Codec.EncodedFormat == SKEncodedImageFormat.Png && PngDataBound.MinimumFileLength(image.Head) is var needed && needed > image.FileLength)
            throw new VdsrUserException($"{path}: truncated image (a {header.Width}x{header.Height} PNG needs at least {needed} bytes, the file holds {image.FileLength})");
        return header;
    }

    private static ImageHeader HeaderOf(OpenedImage image)
    {
        var info = image.Codec.Info;
        return new ImageHeader(info.Height, info.Width, PlanesOf(image));
    }

    /// <summary>
    /// MATLAB's size(imread(file), 3). Skia expands palettes and gray-alpha to RGBA, so PNG and BMP
    /// files are told apart by their headers: PNG colour types 2 and 6 and BMPs of more than
    /// 8 bits per pixel hold colour planes; GIF is always indexed.
    /// </summary>
    private static int PlanesOf(OpenedImage image)
    {
        var head = image.Head;
        return image.Codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Png => head.Length > 25 && head[25] is 2 or 6 ? 3 : 1,
            SKEncodedImageFormat.Bmp => head.Length > 29 && (head[28] | head[29] << 8) > 8 ? 3 : 1,
            SKEncodedImageFormat.Gif => 1,
            _ => image.Codec.Info.ColorType == SKColorType.Gray8 ? 1 : 3,
        };
    }

    /// <summary>Whether the bytes start like a PNG, JPEG, BMP, GIF or WebP file (a RIFF file cut before its form type counts).</summary>
    private static bool HasImageSignature(ReadOnlySpan<byte> h) =>
        h.StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }) || h.StartsWith(new byte[] { 0xFF, 0xD8 }) || h.StartsWith("BM"u8)
        || h.StartsWith("GIF8"u8) || (h.StartsWith("RIFF"u8) && (h.Length < 12 || h[8..12].SequenceEqual("WEBP"u8)));

    private static string DecodeProblem(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "truncated image (the file ends before the pixel data does)",
        SKCodecResult.ErrorInInput => "corrupt image (invalid pixel data)",
        SKCodecResult.InvalidInput => "corrupt or unsupported image",
        _ => $"cannot decode the image ({result})",
    };
}
