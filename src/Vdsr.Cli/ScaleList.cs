using Vdsr.Core;
using Vdsr.Core.Imaging;

namespace Vdsr.Cli;

/// <summary>`--scale` and its kin: one integer factor, or a comma list such as 2,3,4.</summary>
public static class ScaleList
{
    public static IReadOnlyList<int> Parse(string? text, IReadOnlyList<int> defaults, string flag = "--scale")
    {
        if (string.IsNullOrWhiteSpace(text)) return defaults;
        var scales = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, out int s) || !UpscaleFactor.IsSupported(s)) throw Bad(flag, part);
            if (!scales.Contains(s)) scales.Add(s);
        }
        return scales.Count > 0 ? scales : defaults;
    }

    /// <summary>One factor given as an integer flag.</summary>
    public static int Check(int scale, string flag = "--scale") =>
        UpscaleFactor.IsSupported(scale) ? scale : throw Bad(flag, scale.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static VdsrUserException Bad(string flag, string value) =>
        new($"{flag}: '{value}' is not an integer factor between {UpscaleFactor.Min} and {UpscaleFactor.Max}");
}
