using SkiaSharp;

namespace Vdsr.Core.Drawing;

/// <summary>
/// DejaVu Sans, shipped inside the library: servers often have no fonts installed, and Skia
/// without a font draws no text at all. Pictures therefore look the same everywhere.
/// </summary>
public static class BundledFont
{
    public const string Family = "DejaVu Sans";
    private const string ResourceName = "Vdsr.Core.Drawing.DejaVuSans.ttf";

    private static readonly Lazy<SKTypeface> Loaded = new(Load);
    private static readonly Lazy<bool> ChartsConfigured = new(ConfigureCharts);

    public static SKTypeface Typeface => Loaded.Value;

    /// <summary>Makes ScottPlot draw every text with the bundled font (once per process).</summary>
    public static void UseForCharts() => _ = ChartsConfigured.Value;

    private static SKTypeface Load()
    {
        using var stream = typeof(BundledFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the font resource {ResourceName} is missing from the build");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"the font resource {ResourceName} is not a font Skia reads");
    }

    private static bool ConfigureCharts()
    {
        ScottPlot.Fonts.FontResolvers.Insert(0, new Resolver());
        ScottPlot.Fonts.Default = Family;
        return true;
    }

    /// <summary>Answers every ScottPlot font request with the bundled typeface.</summary>
    private sealed class Resolver : ScottPlot.IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, ScottPlot.FontWeight weight, ScottPlot.FontSlant slant, ScottPlot.FontSpacing spacing) =>
            Typeface;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Typeface;
    }
}
