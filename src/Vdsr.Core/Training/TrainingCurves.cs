using System.Globalization;
using Vdsr.Core.Plotting;

namespace Vdsr.Core.Training;

/// <summary>
/// The training curves PNG: the loss of every step (log scale) with its mean per epoch, and
/// below it the validation PSNR per scale after each epoch. X is in epochs (a step of epoch e at
/// iteration i of n sits at e - 1 + i/n).
/// </summary>
public static class TrainingCurves
{
    public static ChartSpec Chart(TrainingHistory history, long iterationsPerEpoch)
    {
        if (iterationsPerEpoch < 1) throw new ArgumentOutOfRangeException(nameof(iterationsPerEpoch));
        var steps = history.Steps;
        var x = steps.Select(s => s.Epoch - 1 + (double)s.Iteration / iterationsPerEpoch).ToArray();
        // An epoch's mean is drawn once the epoch is complete; a stopped run's partial epoch has none.
        var byEpoch = steps.GroupBy(s => s.Epoch).Where(g => g.Max(s => s.Iteration) >= iterationsPerEpoch).OrderBy(g => g.Key).ToList();
        var lossPanel = new ChartPanel
        {
            Title = "Training loss (sum of squared errors per batch)",
            XLabel = "epoch",
            YLabel = "loss",
            LogY = true,
            Series =
            [
                new ChartSeries("step", x, steps.Select(s => s.Loss).ToArray()) { LineWidth = 1, Color = new Rgb(150, 180, 220) },
                new ChartSeries("epoch mean", byEpoch.Select(g => (double)g.Key).ToArray(), byEpoch.Select(g => g.Average(s => s.Loss)).ToArray())
                    { Markers = true, Color = new Rgb(200, 60, 40) },
            ],
        };
        var panels = new List<ChartPanel> { lossPanel };
        if (history.Scales.Count > 0)
        {
            panels.Add(new ChartPanel
            {
                Title = "Validation PSNR (Y channel)",
                XLabel = "epoch",
                YLabel = "dB",
                Series = history.Scales.Select(scale =>
                {
                    var points = history.Validations.Where(v => v.PsnrByScale.ContainsKey(scale)).ToList();
                    return new ChartSeries(string.Create(CultureInfo.InvariantCulture, $"x{scale}"),
                        points.Select(v => (double)v.Epoch).ToArray(), points.Select(v => v.PsnrByScale[scale]).ToArray()) { Markers = true };
                }).ToList(),
            });
        }
        return new ChartSpec { Width = 900, Height = panels.Count * 340, Title = "VDSR training", Panels = panels };
    }

    /// <summary>Reads the log at <paramref name="csvPath"/> and (re)writes the chart to <paramref name="pngPath"/> atomically.</summary>
    public static void Save(string csvPath, string pngPath, long iterationsPerEpoch) =>
        LineChart.SavePng(Chart(TrainingHistory.Read(csvPath), iterationsPerEpoch), pngPath);
}
