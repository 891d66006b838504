using SkiaSharp;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Drawing;

/// <summary>One picture of a comparison strip and the caption under it.</summary>
public sealed record StripPanel(ImageBuffer<byte> Image, string Label);

/// <summary>
/// Side-by-side pictures (e.g. ground truth | bicubic | VDSR) with a caption under each, on white.
/// The strip is exactly as wide as the panels plus the gaps between them; panels of different
/// heights are aligned at the top; a caption wider than its panel is shortened with "..".
/// </summary>
public static class ComparisonStrip
{
    public const int Gap = 8;
    public const float TextSize = 18;
    /// <summary>Height of the band under the pictures that holds the captions.</summary>
    public const int CaptionBandHeight = 32;

    /// <summary>The strip as an RGB image.</summary>
    public static ImageBuffer<byte> Render(IReadOnlyList<StripPanel> panels)
    {
        using var bitmap = Draw(panels);
        return RgbaPixels.Unpack(bitmap.GetPixelSpan(), bitmap.Height, bitmap.Width).Rgb;
    }

    public static void SavePng(IReadOnlyList<StripPanel> panels, string path)
    {
        using var bitmap = Draw(panels);
        ImageFile.Save(path, bitmap.PeekPixels());
    }

    private static SKBitmap Draw(IReadOnlyList<StripPanel> panels)
    {
        if (panels.Count == 0) throw new ArgumentException("a comparison strip needs at least one panel", nameof(panels));
        foreach (var p in panels)
            if ((p.Image.Channels != 1 && p.Image.Channels != 3) || p.Image.Width < 1 || p.Image.Height < 1)
                throw new ArgumentException($"panel '{p.Label}' is a {p.Image.Height}x{p.Image.Width}x{p.Image.Channels} image; 1 or 3 channels, at least 1x1, are needed");

        int width = panels.Sum(p => p.Image.Width) + Gap * (panels.Count - 1);
        int imageHeight = panels.Max(p => p.Image.Height);
        var bitmap = new SKBitmap(new SKImageInfo(width, imageHeight + CaptionBandHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var font = new SKFont(BundledFont.Typeface, TextSize);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };

        int left = 0;
        foreach (var panel in panels)
        {
            using (var picture = ToSkImage(panel.Image)) canvas.DrawImage(picture, left, 0, SKSamplingOptions.Default);
            string caption = Fit(panel.Label.Replace('\n', ' '), panel.Image.Width, font);
            float baseline = imageHeight + (CaptionBandHeight + TextSize * 0.7f) / 2;
            canvas.Save();
            canvas.ClipRect(new SKRect(left, imageHeight, left + panel.Image.Width, imageHeight + CaptionBandHeight));
            canvas.DrawText(caption, left + panel.Image.Width / 2f, baseline, SKTextAlign.Center, font, ink);
            canvas.Restore();
            left += panel.Image.Width + Gap;
        }
        return bitmap;
    }

    /// <summary>The label, shortened with ".." when it is wider than the panel.</summary>
    internal static string Fit(string label, int width, SKFont font)
    {
        if (font.MeasureText(label) <= width) return label;
        for (int n = label.Length - 1; n > 0; n--)
        {
            string shortened = label[..n].TrimEnd() + "..";
            if (font.MeasureText(shortened) <= width) return shortened;
        }
        return "";
    }

    private static SKImage ToSkImage(ImageBuffer<byte> image) =>
        SKImage.FromPixelCopy(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), RgbaPixels.Pack(image));
}
