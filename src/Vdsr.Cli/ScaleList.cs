using System.CommandLine;
using Vdsr.Core;

namespace Vdsr.Cli;

/// <summary>`--scale`: one integer factor, or a comma list such as 2,3,4.</summary>
public static class ScaleList
{
    public static IReadOnlyList<int> Parse(string? text, IReadOnlyList<int> defaults)
    {
        if (string.IsNullOrWhiteSpace(text)) return defaults;
        var scales = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, out int s) || s < 2 || s > 8)
                throw new VdsrUserException($"--scale: '{part}' is not an integer factor between 2 and 8");
            if (!scales.Contains(s)) scales.Add(s);
        }
        return scales.Count > 0 ? scales : defaults;
    }
}
