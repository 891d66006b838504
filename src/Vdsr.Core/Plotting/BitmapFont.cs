namespace Vdsr.Core.Plotting;

/// <summary>
/// A fixed-width bitmap font for printable ASCII (32..126): 5x8 glyphs (capitals and digits in the
/// top 7 rows, the 8th row for descenders) in a 6 px advance, drawn at an integer scale.
/// Characters outside that range are drawn as '?'.
/// </summary>
public static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 8;
    public const int Advance = 6;
    public const int LineAdvance = 10;
    public const char FirstChar = ' ';
    public const char LastChar = '~';

    private static readonly ulong[] Masks = BuildMasks();

    /// <summary>Whether the glyph of c has ink at (col, row), 0 &lt;= col &lt; 5, 0 &lt;= row &lt; 8.</summary>
    public static bool IsSet(char c, int col, int row)
    {
        if ((uint)col >= GlyphWidth || (uint)row >= GlyphHeight) return false;
        return (Masks[Index(c)] >> (row * GlyphWidth + col) & 1UL) != 0;
    }

    /// <summary>The size in pixels of text drawn at this scale (lines split at '\n').</summary>
    public static (int Width, int Height) Measure(string text, int scale = 1)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale));
        if (text.Length == 0) return (0, 0);
        var lines = text.Split('\n');
        int longest = lines.Max(l => l.Length);
        int width = longest == 0 ? 0 : (longest * Advance - (Advance - GlyphWidth)) * scale;
        int height = ((lines.Length - 1) * LineAdvance + GlyphHeight) * scale;
        return (width, height);
    }

    internal static ulong Mask(char c) => Masks[Index(c)];

    private static int Index(char c) => c is >= FirstChar and <= LastChar ? c - FirstChar : '?' - FirstChar;

    private static ulong[] BuildMasks()
    {
        var masks = new ulong[LastChar - FirstChar + 1];
        var defined = new bool[masks.Length];
        foreach (var (ch, rows) in GlyphSheet.Glyphs)
        {
            var parts = rows.Split(' ');
            if (parts.Length != GlyphHeight || parts.Any(p => p.Length != GlyphWidth))
                throw new InvalidOperationException($"glyph '{ch}' is not {GlyphWidth}x{GlyphHeight}");
            ulong mask = 0;
            for (int r = 0; r < GlyphHeight; r++)
                for (int c = 0; c < GlyphWidth; c++)
                    if (parts[r][c] == '#') mask |= 1UL << (r * GlyphWidth + c);
            int index = ch - FirstChar;
            if (defined[index]) throw new InvalidOperationException($"glyph '{ch}' is defined twice");
            defined[index] = true;
            masks[index] = mask;
        }
        int missing = Array.IndexOf(defined, false);
        if (missing >= 0) throw new InvalidOperationException($"glyph '{(char)(missing + FirstChar)}' is missing");
        return masks;
    }
}
