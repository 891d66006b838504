namespace Vdsr.Core.Imaging;

/// <summary>
/// What an image file's header says, without decoding its pixels. <see cref="Planes"/> is what
/// MATLAB's imread returns as size(image, 3): 3 for true-colour files (with or without alpha),
/// 1 for gray and for palette (indexed) files, whose colours are a map, not planes.
/// </summary>
public sealed record ImageHeader(int Height, int Width, int Planes)
{
    public long PixelCount => (long)Height * Width;
}

/// <summary>
/// A decoded image file: RGB (gray files replicated to three channels), the alpha channel only
/// when the file has one that is not fully opaque, whether every pixel is gray (R = G = B), and
/// the header's plane count.
/// </summary>
public sealed record LoadedImage(ImageBuffer<byte> Rgb, ImageBuffer<byte>? Alpha, bool IsGrayscale, ImageHeader Header);
