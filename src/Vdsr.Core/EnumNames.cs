namespace Vdsr.Core;

/// <summary>
/// How the toolkit's choices (loss reduction, optimizer, clip mode, lr decay, precision, pruning
/// method...) are spelled on the command line and in checkpoint metadata: the member's name in
/// lower case. Parsing takes exactly those names (case-insensitive), never a number.
/// </summary>
public static class EnumNames
{
    public static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>The member spelled <paramref name="text"/>; null when it names none.</summary>
    public static T? Parse<T>(string? text) where T : struct, Enum
    {
        var trimmed = text?.Trim();
        foreach (var value in Enum.GetValues<T>())
            if (string.Equals(Name(value), trimmed, StringComparison.OrdinalIgnoreCase))
                return value;
        return null;
    }

    /// <summary>Every member's spelling, in declaration order.</summary>
    public static string[] All<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Name).ToArray();
}
