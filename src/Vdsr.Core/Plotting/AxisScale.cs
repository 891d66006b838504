using System.Globalization;

namespace Vdsr.Core.Plotting;

/// <summary>The data range of one axis, its tick positions and how a value maps to a pixel.</summary>
internal sealed class AxisScale
{
    private AxisScale(double min, double max, bool log, double[] ticks, string[] labels)
    {
        Min = min;
        Max = max;
        Log = log;
        Ticks = ticks;
        Labels = labels;
    }

    public double Min { get; }
    public double Max { get; }
    public bool Log { get; }
    public double[] Ticks { get; }
    public string[] Labels { get; }

    /// <summary>Position of value in [0, 1] along the axis (outside for values out of range, NaN if unplottable).</summary>
    public double Fraction(double value)
    {
        if (!double.IsFinite(value) || (Log && value <= 0)) return double.NaN;
        return Log
            ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (value - Min) / (Max - Min);
    }

    public bool Accepts(double value) => double.IsFinite(value) && (!Log || value > 0);

    /// <summary>Linear axis over the values with about maxTicks "nice" ticks (steps 1, 2, 5 x 10^k).</summary>
    public static AxisScale Linear(IEnumerable<double> values, int maxTicks)
    {
        var (lo, hi) = Range(values.Where(double.IsFinite));
        if (lo > hi) (lo, hi) = (0, 1);
        if (hi - lo <= Math.Abs(hi) * 1e-12)
        {
            double pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = NiceStep((hi - lo) / Math.Max(maxTicks - 1, 1));
        double min = Math.Floor(lo / step + 1e-9) * step, max = Math.Ceiling(hi / step - 1e-9) * step;
        var ticks = new List<double>();
        for (int i = 0; min + i * step <= max + step * 1e-9; i++)
        {
            double t = min + i * step;
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        }
        int decimals = DecimalsOf(step);
        bool scientific = Math.Max(Math.Abs(min), Math.Abs(max)) >= 1e6 || step < 1e-4;
        var labels = ticks.Select(t => scientific ? Scientific(t) : t.ToString("F" + decimals, CultureInfo.InvariantCulture)).ToArray();
        return new AxisScale(min, max, log: false, ticks.ToArray(), labels);
    }

    /// <summary>Logarithmic axis over the positive values, from one power of ten to another.</summary>
    public static AxisScale Logarithmic(IEnumerable<double> values, int maxTicks)
    {
        var (lo, hi) = Range(values.Where(v => double.IsFinite(v) && v > 0));
        if (lo > hi) (lo, hi) = (1, 10);
        int first = (int)Math.Floor(Math.Log10(lo) + 1e-12);
        int last = (int)Math.Ceiling(Math.Log10(hi) - 1e-12);
        if (last <= first) last = first + 1;
        int decades = last - first;
        var ticks = new List<double>();
        int every = Math.Max(1, (int)Math.Ceiling(decades / (double)Math.Max(maxTicks - 1, 1)));
        for (int e = first; e <= last; e += every)
        {
            ticks.Add(Math.Pow(10, e));
            if (decades <= 2 && e < last && maxTicks >= 3 * decades + 1)
            {
                ticks.Add(2 * Math.Pow(10, e));
                ticks.Add(5 * Math.Pow(10, e));
            }
        }
        var labels = ticks.Select(LogLabel).ToArray();
        return new AxisScale(Math.Pow(10, first), Math.Pow(10, last), log: true, ticks.ToArray(), labels);
    }

    private static (double Lo, double Hi) Range(IEnumerable<double> values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        return (lo, hi);
    }

    /// <summary>The fewest decimals that print every multiple of step exactly (0.25 needs 2).</summary>
    private static int DecimalsOf(double step)
    {
        for (int d = 0; d < 10; d++)
        {
            double scaled = step * Math.Pow(10, d);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * scaled) return d;
        }
        return 10;
    }

    private static double NiceStep(double rough)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double f = rough / magnitude;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static string LogLabel(double value)
    {
        double a = Math.Abs(value);
        return a >= 1e-3 && a < 1e5 ? value.ToString("0.###", CultureInfo.InvariantCulture) : Scientific(value);
    }

    private static string Scientific(double value) =>
        value == 0 ? "0" : value.ToString("0.##e0", CultureInfo.InvariantCulture);
}
