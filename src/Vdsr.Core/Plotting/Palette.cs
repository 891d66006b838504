namespace Vdsr.Core.Plotting;

/// <summary>Distinct line colours for chart series, used in order.</summary>
public static class Palette
{
    public static readonly IReadOnlyList<Rgb> Series =
    [
        new(31, 119, 180),  // blue
        new(255, 127, 14),  // orange
        new(44, 160, 44),   // green
        new(214, 39, 40),   // red
        new(148, 103, 189), // purple
        new(140, 86, 75),   // brown
        new(227, 119, 194), // pink
        new(127, 127, 127), // gray
        new(188, 189, 34),  // olive
        new(23, 190, 207),  // cyan
    ];

    public static Rgb ForIndex(int index) => Series[((index % Series.Count) + Series.Count) % Series.Count];
}
