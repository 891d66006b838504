using ScottPlot;
using SkiaSharp;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Drawing;

/// <summary>Several ScottPlot panels of one size drawn into one PNG, stacked or side by side.</summary>
public static class ChartPanels
{
    /// <summary>Renders each panel onto its own surface (a plot paints its background over the whole canvas it is given) and writes the PNG atomically.</summary>
    public static void Save(string pngPath, IReadOnlyList<Plot> panels, int panelWidth, int panelHeight, bool sideBySide)
    {
        int columns = sideBySide ? panels.Count : 1, rows = sideBySide ? 1 : panels.Count;
        using var surface = SKSurface.Create(new SKImageInfo(panelWidth * columns, panelHeight * rows, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("Skia could not allocate the chart");
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            using var panel = SKSurface.Create(new SKImageInfo(panelWidth, panelHeight, SKColorType.Rgba8888, SKAlphaType.Premul))
                ?? throw new InvalidOperationException("Skia could not allocate a chart panel");
            panels[i].Render(panel.Canvas, panelWidth, panelHeight);
            using var picture = panel.Snapshot();
            surface.Canvas.DrawImage(picture, sideBySide ? panelWidth * i : 0, sideBySide ? 0 : panelHeight * i, SKSamplingOptions.Default);
        }
        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels();
        ImageFile.Save(pngPath, pixels);
    }
}
