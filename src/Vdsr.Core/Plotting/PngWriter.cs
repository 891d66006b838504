using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
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

        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        if (!Directory.Exists(folder))
            throw new VdsrUserException($"{path}: cannot write the PNG, folder {folder} does not exist");
        string temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                Encode(image, stream);
            File.Move(temp, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new VdsrUserException($"{path}: cannot write the PNG: {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
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

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
