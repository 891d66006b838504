namespace Vdsr.Core.Plotting;

/// <summary>One line of a chart: points (X[i], Y[i]); non-finite points are skipped (the line breaks there).</summary>
public sealed record ChartSeries
{
    public ChartSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
            throw new ArgumentException($"series '{name}' has {x.Count} x values but {y.Count} y values");
        Name = name;
        X = x;
        Y = y;
    }

    /// <summary>A series with x = 1, 2, ..., n (e.g. one value per epoch).</summary>
    public static ChartSeries FromValues(string name, IReadOnlyList<double> y) =>
        new(name, Enumerable.Range(1, y.Count).Select(i => (double)i).ToArray(), y);

    public string Name { get; }
    public IReadOnlyList<double> X { get; }
    public IReadOnlyList<double> Y { get; }
    /// <summary>Null picks the next palette colour.</summary>
    public Rgb? Color { get; init; }
    public double LineWidth { get; init; } = 2;
    /// <summary>Draws a small square at every point (always done for a lone point).</summary>
    public bool Markers { get; init; }
}

/// <summary>One set of axes; a chart stacks its panels top to bottom.</summary>
public sealed record ChartPanel
{
    public string? Title { get; init; }
    public string? XLabel { get; init; }
    public string? YLabel { get; init; }
    /// <summary>Logarithmic left y axis; values &lt;= 0 are skipped.</summary>
    public bool LogY { get; init; }
    public IReadOnlyList<ChartSeries> Series { get; init; } = [];
    /// <summary>Series drawn against a second y axis on the right.</summary>
    public IReadOnlyList<ChartSeries> SecondarySeries { get; init; } = [];
    public string? SecondaryYLabel { get; init; }
    public bool ShowLegend { get; init; } = true;
}

public sealed record ChartSpec
{
    public int Width { get; init; } = 800;
    public int Height { get; init; } = 500;
    public string? Title { get; init; }
    /// <summary>Pixel size of one font dot for labels (the title is one step larger).</summary>
    public int TextScale { get; init; } = 2;
    public Rgb Background { get; init; } = Rgb.White;
    public IReadOnlyList<ChartPanel> Panels { get; init; } = [];
}
