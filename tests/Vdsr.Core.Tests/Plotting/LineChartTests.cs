using Vdsr.Core.Plotting;
using static Vdsr.Core.Tests.Plotting.CanvasInspection;

namespace Vdsr.Core.Tests.Plotting;

public class LineChartTests
{
    private static readonly Rgb Blue = new(20, 60, 220);
    private static readonly Rgb Orange = new(250, 140, 0);
    private static readonly Rgb Green = new(0, 170, 60);

    [Fact]
    public void TwoSeriesChartHasRequestedSizeAndBothColours()
    {
        double[] x = Enumerable.Range(0, 40).Select(i => (double)i).ToArray();
        var spec = new ChartSpec
        {
            Width = 640, Height = 400, Title = "Loss",
            Panels = [new ChartPanel
            {
                XLabel = "epoch", YLabel = "loss",
                Series = [new ChartSeries("train", x, x.Select(v => 10 - v / 5).ToArray()) { Color = Blue },
                          new ChartSeries("val", x, x.Select(v => 3 + Math.Sin(v / 4)).ToArray()) { Color = Orange }],
            }],
        };
        var image = LineChart.Render(spec);

        Assert.Equal((400, 640, 3), (image.Height, image.Width, image.Channels));
        // Each 2 px line over ~500 px of plot width leaves hundreds of fully covered pixels.
        Assert.True(Count(image, Blue) > 300, $"blue pixels: {Count(image, Blue)}");
        Assert.True(Count(image, Orange) > 300, $"orange pixels: {Count(image, Orange)}");
        Assert.Equal(0, Count(image, Green));
    }

    [Fact]
    public void SecondAxisAndSecondPanelDrawEverySeries()
    {
        double[] epochs = [1, 2, 3, 4, 5, 6];
        var spec = new ChartSpec
        {
            Width = 700, Height = 600,
            Panels =
            [
                new ChartPanel { LogY = true, Series = [new ChartSeries("loss", epochs, [90, 30, 9, 4, 2.5, 2]) { Color = Blue }],
                                 SecondarySeries = [new ChartSeries("lr", epochs, [0.1, 0.1, 0.01, 0.01, 0.001, 0.001]) { Color = Orange }],
                                 SecondaryYLabel = "lr" },
                new ChartPanel { Series = [new ChartSeries("x4 PSNR", epochs, [29, 30, 30.5, 30.9, 31.2, 31.4]) { Color = Green }] },
            ],
        };
        var image = LineChart.Render(spec);
        int half = image.Height / 2;
        Assert.True(Count(image, Blue, height: half) > 100);
        Assert.True(Count(image, Orange, height: half) > 100);
        Assert.True(Count(image, Green, top: half) > 100);
        Assert.Equal(0, Count(image, Green, height: half - 40)); // the legend sits inside its own panel
    }

    [Fact]
    public void DegenerateSeriesRenderWithoutFailing()
    {
        var spec = new ChartSpec
        {
            Width = 300, Height = 220,
            Panels =
            [
                new ChartPanel
                {
                    LogY = true,
                    Series =
                    [
                        new ChartSeries("empty", [], []),
                        new ChartSeries("lone", [3], [5]) { Color = Blue },
                        new ChartSeries("flat", [1, 2, 3], [5, 5, 5]) { Color = Orange },
                        new ChartSeries("holes", [1, 2, 3, 4], [double.NaN, 7, double.PositiveInfinity, -1]) { Color = Green },
                    ],
                },
                new ChartPanel { Series = [new ChartSeries("all NaN", [1, 2], [double.NaN, double.NaN])] },
            ],
        };
        var image = LineChart.Render(spec);
        Assert.Equal((220, 300), (image.Height, image.Width));
        Assert.True(Count(image, Orange) > 20);
        Assert.True(Count(image, Green) > 4); // the one plottable point of "holes" gets a marker

        foreach (var (w, h) in new[] { (1, 1), (30, 20), (2000, 90) })
        {
            var tiny = LineChart.Render(spec with { Width = w, Height = h, Title = "a long title that cannot fit" });
            Assert.Equal((h, w), (tiny.Height, tiny.Width));
        }
    }

    [Fact]
    public void LoneFinitePointIsMarked()
    {
        var spec = new ChartSpec
        {
            Width = 300, Height = 200,
            Panels = [new ChartPanel { ShowLegend = false, Series = [new ChartSeries("p", [1, 2, 3], [double.NaN, 4, double.NaN]) { Color = Blue }] }],
        };
        Assert.True(Count(LineChart.Render(spec), Blue) >= 9);
    }

    [Fact]
    public void MismatchedSeriesLengthsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new ChartSeries("bad", [1, 2, 3], [1, 2]));
    }

    [Fact]
    public void LinearTicksAreRoundNumbersCoveringTheData()
    {
        var axis = AxisScale.Linear([0.3, 9.7], 6);
        Assert.Equal([0, 2, 4, 6, 8, 10], axis.Ticks);
        Assert.Equal(["0", "2", "4", "6", "8", "10"], axis.Labels);

        var quarters = AxisScale.Linear([27.1, 28.4], 7);
        Assert.Equal(["27.00", "27.25", "27.50", "27.75", "28.00", "28.25", "28.50"], quarters.Labels);

        var flat = AxisScale.Linear([5, 5, double.NaN], 5);
        Assert.True(flat.Min < 5 && flat.Max > 5);
        var empty = AxisScale.Linear([], 5);
        Assert.Equal((0.0, 1.0), (empty.Min, empty.Max));
    }

    [Fact]
    public void LogTicksArePowersOfTen()
    {
        var axis = AxisScale.Logarithmic([0.002, 350, -4, 0], 10);
        Assert.Equal([1e-3, 1e-2, 1e-1, 1, 10, 100, 1000], axis.Ticks);
        Assert.Equal(["0.001", "0.01", "0.1", "1", "10", "100", "1000"], axis.Labels);
        Assert.Equal(0.5, axis.Fraction(Math.Sqrt(10)) * 6 - 3, 12);
        Assert.True(double.IsNaN(axis.Fraction(-1)));

        var narrow = AxisScale.Logarithmic([1.5, 7], 10);
        Assert.Equal([1, 2, 5, 10], narrow.Ticks);
    }
}
