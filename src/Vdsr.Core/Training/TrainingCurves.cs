using System.Globalization;
using ScottPlot;
using Vdsr.Core.Drawing;

namespace Vdsr.Core.Training;

/// <summary>
/// The training curves PNG: the loss of every step on a log axis with its mean per epoch, and
/// under it one panel per validation scale with the PSNR of each validation. X is in epochs (a step
/// of epoch e at iteration i of n sits at e - 1 + i/n), or in minutes of the training clock when the
/// log has one and the run has not finished two epochs (long epochs: validations inside them).
/// </summary>
public static class TrainingCurves
{
    public const int Width = 900;
    public const int PanelHeight = 300;

    /// <summary>A curve's points.</summary>
    public sealed record Series(double[] X, double[] Y);

    /// <summary>What the chart shows: the loss of every step, the epoch means, and the PSNR per scale.</summary>
    public sealed record Curves(Series Steps, Series EpochMeans, IReadOnlyDictionary<int, Series> PsnrByScale, bool InMinutes = false)
    {
        public string XLabel => InMinutes ? "training time (minutes)" : "epoch";
    }

    public static Curves Compute(TrainingHistory history, long iterationsPerEpoch)
    {
        if (iterationsPerEpoch < 1) throw new ArgumentOutOfRangeException(nameof(iterationsPerEpoch));
        // Only positive losses have a logarithm; a diverged step is left out of the picture.
        var steps = history.Steps.Where(s => s.Loss > 0 && double.IsFinite(s.Loss)).ToList();
        // An epoch's mean is drawn once the epoch is complete; a stopped run's partial epoch has none.
        var complete = steps.GroupBy(s => s.Epoch).Where(g => g.Max(s => s.Iteration) >= iterationsPerEpoch).OrderBy(g => g.Key).ToList();
        double Epochs(int epoch, long iteration) => epoch - 1 + (double)iteration / iterationsPerEpoch;
        bool inMinutes = steps.Count > 0 && steps.All(s => s.ElapsedSeconds is not null)
                         && history.Validations.All(v => v.ElapsedSeconds is not null)
                         && Epochs(steps[^1].Epoch, steps[^1].Iteration) < 2;
        double StepX(TrainingHistory.Step s) => inMinutes ? s.ElapsedSeconds!.Value / 60 : Epochs(s.Epoch, s.Iteration);
        var psnr = new Dictionary<int, Series>();
        foreach (int scale in history.Scales)
        {
            var points = history.Validations.Where(v => v.PsnrByScale.ContainsKey(scale)).ToList();
            psnr[scale] = new Series(
                points.Select(v => inMinutes ? v.ElapsedSeconds!.Value / 60 : v.Iteration == 0 ? v.Epoch : Epochs(v.Epoch, v.Iteration)).ToArray(),
                points.Select(v => v.PsnrByScale[scale]).ToArray());
        }
        var meansAt = complete.Select(g => inMinutes ? StepX(g.OrderBy(s => s.Iteration).Last()) : g.Key).ToArray();
        return new Curves(
            new Series(steps.Select(StepX).ToArray(), steps.Select(s => s.Loss).ToArray()),
            new Series(meansAt, complete.Select(g => g.Average(s => s.Loss)).ToArray()),
            psnr, inMinutes);
    }

    /// <summary>The panels: the loss first, then one per validation scale.</summary>
    public static IReadOnlyList<Plot> Panels(Curves curves)
    {
        BundledFont.UseForCharts();
        var panels = new List<Plot> { LossPanel(curves) };
        foreach (var (scale, series) in curves.PsnrByScale.OrderBy(p => p.Key))
            panels.Add(PsnrPanel(scale, series, curves.XLabel));
        return panels;
    }

    /// <summary>Reads the log at <paramref name="csvPath"/> and (re)writes the chart to <paramref name="pngPath"/> atomically.</summary>
    public static void Save(string csvPath, string pngPath, long iterationsPerEpoch)
    {
        ChartPanels.Save(pngPath, Panels(Compute(TrainingHistory.Read(csvPath), iterationsPerEpoch)), Width, PanelHeight, sideBySide: false);
    }

    private static Plot LossPanel(Curves curves)
    {
        var plot = new Plot();
        plot.Title("Training loss (squared errors, reduced as the run's loss reduction says)");
        plot.XLabel(curves.XLabel);
        plot.YLabel("loss (log scale)");
        if (curves.Steps.X.Length > 0)
            plot.Add.ScatterLine(curves.Steps.X, curves.Steps.Y.Select(Math.Log10).ToArray(), Color.FromHex("#96B4DC")).LegendText = "step";
        if (curves.EpochMeans.X.Length > 0)
            plot.Add.Scatter(curves.EpochMeans.X, curves.EpochMeans.Y.Select(Math.Log10).ToArray(), Color.FromHex("#C83C28")).LegendText = "epoch mean";
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => Math.Pow(10, exponent).ToString("G4", CultureInfo.InvariantCulture),
        };
        plot.Axes.Left.TickGenerator = ticks;
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot PsnrPanel(int scale, Series series, string xLabel)
    {
        var plot = new Plot();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Validation PSNR x{scale} (Y channel)"));
        plot.XLabel(xLabel);
        plot.YLabel("dB");
        if (series.X.Length > 0) plot.Add.Scatter(series.X, series.Y);
        return plot;
    }
}
