using Vdsr.Core.Imaging;

namespace Vdsr.Core.Plotting;

/// <summary>Renders line charts (e.g. training loss, validation PSNR per scale) as RGB images.</summary>
public static class LineChart
{
    private const int Pad = 8;

    public static ImageBuffer<byte> Render(ChartSpec spec)
    {
        if (spec.Width < 1 || spec.Height < 1 || spec.Width > 16384 || spec.Height > 16384)
            throw new ArgumentOutOfRangeException(nameof(spec), $"chart size {spec.Width}x{spec.Height} is not in 1..16384");
        if (spec.TextScale < 1) throw new ArgumentOutOfRangeException(nameof(spec), "text scale must be at least 1");

        var canvas = new RasterCanvas(spec.Width, spec.Height, spec.Background);
        int top = 0;
        if (!string.IsNullOrEmpty(spec.Title))
        {
            int titleScale = spec.TextScale + 1;
            var (w, h) = BitmapFont.Measure(spec.Title, titleScale);
            canvas.DrawText((spec.Width - w) / 2, Pad, spec.Title, Rgb.Black, titleScale);
            top = Pad + h;
        }

        IReadOnlyList<ChartPanel> panels = spec.Panels.Count > 0 ? spec.Panels : [new ChartPanel()];
        int available = spec.Height - top;
        var renderers = panels.Select((p, i) =>
        {
            int y0 = top + available * i / panels.Count, y1 = top + available * (i + 1) / panels.Count;
            return new PanelRenderer(canvas, p, spec.TextScale, 0, y0, spec.Width, y1 - y0);
        }).ToList();
        // Stacked panels share their left and right plot edges so that the same x lines up.
        int leftMargin = renderers.Max(r => r.LeftMargin), rightMargin = renderers.Max(r => r.RightMargin);
        foreach (var renderer in renderers) renderer.Draw(leftMargin, rightMargin);
        return canvas.Image;
    }

    public static void SavePng(ChartSpec spec, string path) => PngWriter.Save(Render(spec), path);

    private sealed class PanelRenderer(RasterCanvas canvas, ChartPanel panel, int scale, int x, int y, int width, int height)
    {
        private static readonly Rgb GridColor = new(230, 230, 230);
        private static readonly Rgb AxisColor = new(60, 60, 60);
        private readonly int _charHeight = BitmapFont.GlyphHeight * scale;
        private readonly int _capHeight = (BitmapFont.GlyphHeight - 1) * scale;
        private readonly int _tickLength = 2 + 2 * scale;

        private AxisScale? _yScale, _y2Scale;

        /// <summary>Space this panel needs left of its plot for the y tick labels and y label.</summary>
        public int LeftMargin => Pad + (string.IsNullOrEmpty(panel.YLabel) ? 0 : _charHeight + Pad) + MaxWidth(YScale.Labels) + _tickLength + 3;

        /// <summary>Space right of the plot: the second axis if any, else room for the last x label.</summary>
        public int RightMargin => Y2Scale is { } y2
            ? Pad + (string.IsNullOrEmpty(panel.SecondaryYLabel) ? 0 : _charHeight + Pad) + MaxWidth(y2.Labels) + _tickLength + 3
            : Pad + 3 * BitmapFont.Advance * scale;

        private int YTickCount => Math.Clamp(height / (_charHeight * 3), 2, 10);
        private AxisScale YScale => _yScale ??= MakeScale(panel.Series.SelectMany(s => s.Y), panel.LogY, YTickCount);
        private AxisScale? Y2Scale => panel.SecondarySeries.Count == 0 ? null
            : _y2Scale ??= MakeScale(panel.SecondarySeries.SelectMany(s => s.Y), false, YTickCount);

        public void Draw(int leftMargin, int rightMargin)
        {
            var all = panel.Series.Concat(panel.SecondarySeries).ToList();
            var colors = all.Select((s, i) => s.Color ?? Palette.ForIndex(i)).ToList();
            bool hasSecondary = panel.SecondarySeries.Count > 0;
            var yScale = YScale;
            var y2Scale = Y2Scale;

            int top = y + Pad + (string.IsNullOrEmpty(panel.Title) ? _charHeight / 2 : _charHeight + Pad);
            int bottom = y + height - Pad - (string.IsNullOrEmpty(panel.XLabel) ? 0 : _charHeight + Pad) - _charHeight - _tickLength - 3;
            int left = x + leftMargin, right = x + width - rightMargin;
            if (right - left < 16 || bottom - top < 16) return; // too small to draw anything readable

            var xScale = FitXScale(all, right - left);
            var plot = new PlotArea(left, top, right - left, bottom - top);

            DrawGridAndFrame(plot, xScale, yScale, y2Scale);
            DrawLabels(plot);

            canvas.SetClip(plot.Left, plot.Top, plot.Width, plot.Height);
            bool anyPoint = false;
            for (int i = 0; i < all.Count; i++)
            {
                var axis = i < panel.Series.Count ? yScale : y2Scale!;
                anyPoint |= DrawSeries(plot, all[i], colors[i], xScale, axis);
            }
            canvas.ResetClip();

            if (!anyPoint)
            {
                const string message = "no data";
                var (w, h) = BitmapFont.Measure(message, scale);
                canvas.DrawText(plot.Left + (plot.Width - w) / 2, plot.Top + (plot.Height - h) / 2, message, Rgb.Gray, scale);
            }
            if (panel.ShowLegend) DrawLegend(plot, all, colors, hasSecondary);
        }

        private static AxisScale MakeScale(IEnumerable<double> values, bool log, int maxTicks) =>
            log ? AxisScale.Logarithmic(values, maxTicks) : AxisScale.Linear(values, maxTicks);

        /// <summary>The x axis with as many ticks as fit without their labels touching.</summary>
        private AxisScale FitXScale(List<ChartSeries> all, int plotWidth)
        {
            var xs = all.SelectMany(s => s.X).ToList();
            for (int maxTicks = 10; ; maxTicks--)
            {
                var scale1 = AxisScale.Linear(xs, maxTicks);
                int spacing = plotWidth / Math.Max(scale1.Ticks.Length - 1, 1);
                if (maxTicks <= 2 || MaxWidth(scale1.Labels) + 2 * BitmapFont.Advance * scale <= spacing) return scale1;
            }
        }

        private void DrawGridAndFrame(PlotArea plot, AxisScale xScale, AxisScale yScale, AxisScale? y2Scale)
        {
            foreach (var (tick, label) in xScale.Ticks.Zip(xScale.Labels))
            {
                int px = plot.MapX(xScale.Fraction(tick));
                canvas.FillRect(px, plot.Top + 1, 1, plot.Height - 2, GridColor);
                canvas.FillRect(px, plot.Bottom, 1, _tickLength, AxisColor);
                var (w, _) = BitmapFont.Measure(label, scale);
                canvas.DrawText(px - w / 2, plot.Bottom + _tickLength + 3, label, Rgb.Black, scale);
            }
            foreach (var (tick, label) in yScale.Ticks.Zip(yScale.Labels))
            {
                int py = plot.MapY(yScale.Fraction(tick));
                canvas.FillRect(plot.Left + 1, py, plot.Width - 2, 1, GridColor);
                canvas.FillRect(plot.Left - _tickLength, py, _tickLength, 1, AxisColor);
                var (w, _) = BitmapFont.Measure(label, scale);
                canvas.DrawText(plot.Left - _tickLength - 3 - w, py - _capHeight / 2, label, Rgb.Black, scale);
            }
            if (y2Scale is not null)
                foreach (var (tick, label) in y2Scale.Ticks.Zip(y2Scale.Labels))
                {
                    int py = plot.MapY(y2Scale.Fraction(tick));
                    canvas.FillRect(plot.Right, py, _tickLength, 1, AxisColor);
                    canvas.DrawText(plot.Right + _tickLength + 3, py - _capHeight / 2, label, Rgb.Black, scale);
                }
            canvas.DrawRect(plot.Left, plot.Top, plot.Width, plot.Height, AxisColor);
        }

        private void DrawLabels(PlotArea plot)
        {
            if (!string.IsNullOrEmpty(panel.Title))
            {
                var (w, _) = BitmapFont.Measure(panel.Title, scale);
                canvas.DrawText(plot.Left + (plot.Width - w) / 2, y + Pad, panel.Title, Rgb.Black, scale);
            }
            if (!string.IsNullOrEmpty(panel.XLabel))
            {
                var (w, _) = BitmapFont.Measure(panel.XLabel, scale);
                canvas.DrawText(plot.Left + (plot.Width - w) / 2, y + height - Pad - _charHeight, panel.XLabel, Rgb.Black, scale);
            }
            if (!string.IsNullOrEmpty(panel.YLabel))
            {
                var (w, _) = BitmapFont.Measure(panel.YLabel, scale);
                canvas.DrawTextVertical(x + Pad, plot.Top + (plot.Height - w) / 2, panel.YLabel, Rgb.Black, scale);
            }
            if (!string.IsNullOrEmpty(panel.SecondaryYLabel))
            {
                var (w, _) = BitmapFont.Measure(panel.SecondaryYLabel, scale);
                canvas.DrawTextVertical(x + width - Pad - _charHeight, plot.Top + (plot.Height - w) / 2, panel.SecondaryYLabel, Rgb.Black, scale);
            }
        }

        /// <summary>Draws the series; returns whether it had any plottable point.</summary>
        private bool DrawSeries(PlotArea plot, ChartSeries series, Rgb color, AxisScale xScale, AxisScale yScale)
        {
            var points = new (double X, double Y)[series.X.Count];
            int plottable = 0;
            for (int i = 0; i < points.Length; i++)
            {
                double fx = xScale.Fraction(series.X[i]), fy = yScale.Fraction(series.Y[i]);
                points[i] = double.IsFinite(fx) && double.IsFinite(fy) ? (plot.ToX(fx), plot.ToY(fy)) : (double.NaN, double.NaN);
                if (double.IsFinite(points[i].X)) plottable++;
            }
            canvas.DrawPolyline(points, color, series.LineWidth);
            int marker = Math.Max(2, (int)Math.Round(series.LineWidth)) + 2;
            for (int i = 0; i < points.Length; i++)
            {
                if (!double.IsFinite(points[i].X)) continue;
                bool lone = (i == 0 || !double.IsFinite(points[i - 1].X)) && (i == points.Length - 1 || !double.IsFinite(points[i + 1].X));
                if (series.Markers || lone)
                    canvas.FillRect((int)Math.Round(points[i].X) - marker / 2, (int)Math.Round(points[i].Y) - marker / 2, marker, marker, color);
            }
            return plottable > 0;
        }

        private void DrawLegend(PlotArea plot, List<ChartSeries> all, List<Rgb> colors, bool hasSecondary)
        {
            var entries = all.Select((s, i) => (Name: i >= panel.Series.Count && hasSecondary ? s.Name + " (right)" : s.Name, Color: colors[i]))
                .Where(e => !string.IsNullOrEmpty(e.Name)).ToList();
            if (entries.Count == 0) return;
            int swatch = 6 * scale, rowHeight = _charHeight + 2 * scale, gap = 2 * scale + 2;
            int boxWidth = gap + swatch + gap + entries.Max(e => BitmapFont.Measure(e.Name, scale).Width) + gap;
            int boxHeight = entries.Count * rowHeight + 2 * gap - 2 * scale;
            if (boxWidth > plot.Width - 8 || boxHeight > plot.Height - 8) return;
            int bx = plot.Right - boxWidth - 5, by = plot.Top + 5;
            canvas.FillRect(bx, by, boxWidth, boxHeight, Rgb.White);
            canvas.DrawRect(bx, by, boxWidth, boxHeight, new Rgb(180, 180, 180));
            for (int i = 0; i < entries.Count; i++)
            {
                int rowTop = by + gap + i * rowHeight;
                int middle = rowTop + _capHeight / 2;
                canvas.FillRect(bx + gap, middle - scale / 2, swatch, Math.Max(2, scale), entries[i].Color);
                canvas.DrawText(bx + gap + swatch + gap, rowTop, entries[i].Name, Rgb.Black, scale);
            }
        }

        private int MaxWidth(IEnumerable<string> labels) =>
            labels.Select(l => BitmapFont.Measure(l, scale).Width).DefaultIfEmpty(0).Max();
    }

    /// <summary>The framed plot rectangle; data fractions map to pixel centres inside it.</summary>
    private readonly record struct PlotArea(int Left, int Top, int Width, int Height)
    {
        public int Right => Left + Width - 1;
        public int Bottom => Top + Height - 1;
        public double ToX(double fraction) => Left + fraction * (Width - 1);
        public double ToY(double fraction) => Bottom - fraction * (Height - 1);
        public int MapX(double fraction) => (int)Math.Round(ToX(fraction));
        public int MapY(double fraction) => (int)Math.Round(ToY(fraction));
    }
}
