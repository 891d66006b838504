namespace Vdsr.Core.Imaging;

/// <summary>
/// A decoded image file: RGB (gray files replicated to three channels), the alpha channel only
/// when the file has one that is not fully opaque, and whether every pixel is gray (R = G = B).
/// </summary>
public sealed record LoadedImage(ImageBuffer<byte> Rgb, ImageBuffer<byte>? Alpha, bool IsGrayscale);
