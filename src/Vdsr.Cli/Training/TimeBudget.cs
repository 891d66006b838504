using System.Globalization;

using Vdsr.Core;

namespace Vdsr.Cli.Training;

/// <summary>`--time-budget`: a number of minutes (e.g. 90 or 0.5) or a TimeSpan such as 00:30:00 or 1.02:00:00.</summary>
public static class TimeBudget
{
    public static TimeSpan Parse(string text)
    {
        var trimmed = text.Trim();
        TimeSpan budget;
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double minutes))
        {
            if (!double.IsFinite(minutes) || minutes <= 0 || minutes > TimeSpan.MaxValue.TotalMinutes / 2)
                throw Bad(text);
            budget = TimeSpan.FromMinutes(minutes);
        }
        else if (!trimmed.Contains(':') || !TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out budget))
        {
            throw Bad(text);
        }
        if (budget <= TimeSpan.Zero) throw Bad(text);
        return budget;
    }

    private static VdsrUserException Bad(string text) =>
        new($"--time-budget '{text}': expected a positive number of minutes (e.g. 90) or a duration such as 00:30:00");
}
