using ScottPlot;
using Vdsr.Core.Drawing;

namespace Vdsr.Core.Pruning;

/// <summary>One measured model of a sparsity sweep: its size, its Set5 x2 PSNR and its forward time on its best plan.</summary>
public sealed record ParetoPoint(string Label, long Parameters, double Set5X2, double? ForwardSeconds)
{
    /// <summary>A plain conv net at the output resolution costs one multiply and one add per weight per pixel.</summary>
    public double MflopPerPixel => 2.0 * Parameters / 1e6;
}

/// <summary>
/// The pruning Pareto picture: Set5 x2 PSNR against MFLOP per output pixel (left) and against the
/// forward time of one image (right) for the measured models, with the published small networks
/// on the left panel, placed at 2 x their parameters and drawn apart as published figures.
/// </summary>
public static class ParetoChart
{
    public const int PanelWidth = 640;
    public const int Height = 480;

    public static Plot CostPanel(IReadOnlyList<ParetoPoint> measured, IReadOnlyList<PublishedSrModel> published)
    {
        BundledFont.UseForCharts();
        var plot = new Plot();
        plot.Title("Set5 x2 PSNR vs cost");
        plot.XLabel("MFLOP per output pixel (published: 2 x parameters)");
        plot.YLabel("PSNR (dB, Y channel)");
        if (published.Count > 0)
        {
            var points = plot.Add.Scatter(published.Select(p => 2.0 * p.Parameters / 1e6).ToArray(), published.Select(p => p.Set5X2).ToArray(), Colors.Gray);
            points.LineWidth = 0;
            points.MarkerSize = 9;
            points.MarkerShape = MarkerShape.OpenCircle;
            points.LegendText = "published figures (their papers)";
            foreach (var p in published) Label(plot, p.Name, 2.0 * p.Parameters / 1e6, p.Set5X2, Colors.Gray);
        }
        AddMeasured(plot, measured, p => p.MflopPerPixel);
        FitWithRoomForLabels(plot, measured.Select(p => p.MflopPerPixel).Concat(published.Select(p => 2.0 * p.Parameters / 1e6)),
            measured.Select(p => p.Set5X2).Concat(published.Select(p => p.Set5X2)));
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    public static Plot TimePanel(IReadOnlyList<ParetoPoint> measured, string timingNote)
    {
        BundledFont.UseForCharts();
        var plot = new Plot();
        plot.Title("Set5 x2 PSNR vs forward time");
        plot.XLabel(timingNote);
        plot.YLabel("PSNR (dB, Y channel)");
        var timed = measured.Where(p => p.ForwardSeconds is not null).ToList();
        AddMeasured(plot, timed, p => p.ForwardSeconds!.Value * 1000);
        FitWithRoomForLabels(plot, timed.Select(p => p.ForwardSeconds!.Value * 1000), timed.Select(p => p.Set5X2));
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Draws both panels side by side and writes the PNG atomically.</summary>
    public static void Save(string pngPath, IReadOnlyList<ParetoPoint> measured, IReadOnlyList<PublishedSrModel> published, string timingNote)
    {
        ChartPanels.Save(pngPath, [CostPanel(measured, published), TimePanel(measured, timingNote)], PanelWidth, Height, sideBySide: true);
    }

    private static void AddMeasured(Plot plot, IReadOnlyList<ParetoPoint> measured, Func<ParetoPoint, double> x)
    {
        if (measured.Count == 0) return;
        var color = Color.FromHex("#C83C28");
        var points = plot.Add.Scatter(measured.Select(x).ToArray(), measured.Select(p => p.Set5X2).ToArray(), color);
        points.LineWidth = 0;
        points.MarkerSize = 10;
        points.MarkerShape = MarkerShape.FilledDiamond;
        points.LegendText = "measured here (Set5 .mat, x2)";
        foreach (var p in measured) Label(plot, p.Label, x(p), p.Set5X2, color);
    }

    /// <summary>Starts the x axis at zero (cost and time are ratios to read off it) and leaves room right of the last point for its label.</summary>
    private static void FitWithRoomForLabels(Plot plot, IEnumerable<double> xs, IEnumerable<double> ys)
    {
        var x = xs.ToList();
        var y = ys.ToList();
        if (x.Count == 0) return;
        double yPad = Math.Max(0.1, 0.08 * (y.Max() - y.Min()));
        plot.Axes.SetLimits(0, 1.22 * x.Max(), y.Min() - 2 * yPad, y.Max() + yPad);
    }

    private static void Label(Plot plot, string text, double x, double y, Color color)
    {
        var label = plot.Add.Text(text, x, y);
        label.LabelFontSize = 11;
        label.LabelFontColor = color;
        label.LabelOffsetX = 6;
        label.LabelOffsetY = -6;
    }
}
