using Vdsr.Core.Imaging;

namespace Vdsr.Core.Plotting;

/// <summary>One picture of a comparison strip and the caption under it.</summary>
public sealed record StripPanel(ImageBuffer<byte> Image, string Label);

/// <summary>A square region shown enlarged in the bottom-right corner of every panel.</summary>
/// <param name="Top">Row of the region's top-left corner in each panel.</param>
/// <param name="Left">Column of the region's top-left corner in each panel.</param>
/// <param name="Size">Side of the region in source pixels.</param>
/// <param name="Zoom">Integer magnification (nearest neighbour, so pixels stay visible).</param>
public sealed record ZoomInset(int Top, int Left, int Size, int Zoom);

public sealed record ComparisonStripOptions
{
    /// <summary>Pixels between neighbouring panels.</summary>
    public int Gap { get; init; } = 8;
    public int TextScale { get; init; } = 2;
    /// <summary>Space above and below the caption text.</summary>
    public int CaptionPadding { get; init; } = 6;
    public Rgb Background { get; init; } = Rgb.White;
    public Rgb TextColor { get; init; } = Rgb.Black;
    public ZoomInset? Inset { get; init; }
    public Rgb InsetColor { get; init; } = new(230, 30, 30);
}

/// <summary>
/// Side-by-side pictures (e.g. ground truth | bicubic | VDSR) with a caption band under each.
/// The strip is exactly as wide as the panels plus the gaps between them; panels of different
/// heights are aligned at the top.
/// </summary>
public static class ComparisonStrip
{
    public static ImageBuffer<byte> Render(IReadOnlyList<StripPanel> panels, ComparisonStripOptions? options = null)
    {
        options ??= new ComparisonStripOptions();
        if (panels.Count == 0) throw new ArgumentException("a comparison strip needs at least one panel", nameof(panels));
        if (options.Gap < 0 || options.CaptionPadding < 0 || options.TextScale < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "gap and padding must be >= 0 and the text scale >= 1");
        foreach (var p in panels)
            if ((p.Image.Channels != 1 && p.Image.Channels != 3) || p.Image.Width < 1 || p.Image.Height < 1)
                throw new ArgumentException($"panel '{p.Label}' is a {p.Image.Height}x{p.Image.Width}x{p.Image.Channels} image; 1 or 3 channels, at least 1x1, are needed");

        int width = panels.Sum(p => p.Image.Width) + options.Gap * (panels.Count - 1);
        int imageHeight = panels.Max(p => p.Image.Height);
        int height = imageHeight + CaptionBandHeight(options);
        var canvas = new RasterCanvas(width, height, options.Background);

        int left = 0;
        foreach (var panel in panels)
        {
            canvas.Blit(panel.Image, left, 0);
            if (options.Inset is { } inset) DrawInset(canvas, panel.Image, left, inset, options.InsetColor);
            DrawCaption(canvas, panel.Label, left, panel.Image.Width, imageHeight, options);
            left += panel.Image.Width + options.Gap;
        }
        return canvas.Image;
    }

    public static void SavePng(IReadOnlyList<StripPanel> panels, string path, ComparisonStripOptions? options = null) =>
        PngWriter.Save(Render(panels, options), path);

    /// <summary>Height of the band under the pictures that holds the captions.</summary>
    public static int CaptionBandHeight(ComparisonStripOptions options) =>
        BitmapFont.GlyphHeight * options.TextScale + 2 * options.CaptionPadding;

    private static void DrawCaption(RasterCanvas canvas, string label, int left, int panelWidth, int top, ComparisonStripOptions options)
    {
        string text = FitText(label.Replace('\n', ' '), panelWidth, options.TextScale);
        var (w, _) = BitmapFont.Measure(text, options.TextScale);
        canvas.SetClip(left, top, panelWidth, canvas.Height - top);
        canvas.DrawText(left + (panelWidth - w) / 2, top + options.CaptionPadding, text, options.TextColor, options.TextScale);
        canvas.ResetClip();
    }

    /// <summary>The label, shortened with ".." when it is wider than the panel.</summary>
    private static string FitText(string label, int width, int scale)
    {
        if (BitmapFont.Measure(label, scale).Width <= width) return label;
        for (int n = label.Length - 1; n > 0; n--)
        {
            string shortened = label[..n].TrimEnd() + "..";
            if (BitmapFont.Measure(shortened, scale).Width <= width) return shortened;
        }
        return "";
    }

    private static void DrawInset(RasterCanvas canvas, ImageBuffer<byte> image, int panelLeft, ZoomInset inset, Rgb frame)
    {
        int top = Math.Clamp(inset.Top, 0, image.Height - 1), left = Math.Clamp(inset.Left, 0, image.Width - 1);
        int size = Math.Min(inset.Size, Math.Min(image.Height - top, image.Width - left));
        int zoom = Math.Max(inset.Zoom, 1);
        int shown = size * zoom;
        if (size < 1 || shown + 4 > image.Width || shown + 4 > image.Height) return; // does not fit in this panel

        var region = image.Crop(top, left, size, size);
        var enlarged = new ImageBuffer<byte>(shown, shown, image.Channels);
        for (int r = 0; r < shown; r++)
            for (int c = 0; c < shown; c++)
                for (int ch = 0; ch < image.Channels; ch++)
                    enlarged[r, c, ch] = region[r / zoom, c / zoom, ch];

        canvas.SetClip(panelLeft, 0, image.Width, image.Height);
        int insetLeft = panelLeft + image.Width - shown - 2, insetTop = image.Height - shown - 2;
        canvas.DrawRect(panelLeft + left - 1, top - 1, size + 2, size + 2, frame);
        canvas.Blit(enlarged, insetLeft, insetTop);
        canvas.DrawRect(insetLeft - 2, insetTop - 2, shown + 4, shown + 4, frame);
        canvas.DrawRect(insetLeft - 1, insetTop - 1, shown + 2, shown + 2, frame);
        canvas.ResetClip();
    }
}
