using Vdsr.Core.Plotting;
using static Vdsr.Core.Tests.Plotting.CanvasInspection;

namespace Vdsr.Core.Tests.Plotting;

public class BitmapFontTests
{
    private static readonly char[] Printable = Enumerable.Range(32, 95).Select(i => (char)i).ToArray();

    [Fact]
    public void EveryPrintableAsciiGlyphIsDefinedAndDistinct()
    {
        var masks = Printable.Select(BitmapFont.Mask).ToArray();
        Assert.Equal(0UL, masks[0]); // space
        foreach (char c in Printable.Skip(1))
            Assert.True(BitmapFont.Mask(c) != 0, $"glyph '{c}' has no ink");
        var clashes = Printable.GroupBy(BitmapFont.Mask).Where(g => g.Count() > 1).Select(g => new string(g.ToArray()));
        Assert.Empty(clashes);
    }

    [Fact]
    public void CharactersOutsidePrintableAsciiDrawAsQuestionMark()
    {
        Assert.Equal(BitmapFont.Mask('?'), BitmapFont.Mask('é'));
        Assert.Equal(BitmapFont.Mask('?'), BitmapFont.Mask('\t'));
    }

    [Fact]
    public void DrawnGlyphMatchesItsBitmapAtScale()
    {
        const int scale = 3;
        var canvas = new RasterCanvas(40, 40, Rgb.White);
        canvas.DrawText(4, 5, "R", Rgb.Black, scale);
        for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                for (int dy = 0; dy < scale; dy++)
                    for (int dx = 0; dx < scale; dx++)
                    {
                        var expected = BitmapFont.IsSet('R', col, row) ? Rgb.Black : Rgb.White;
                        Assert.Equal(expected, Pixel(canvas.Image, 4 + col * scale + dx, 5 + row * scale + dy));
                    }
        Assert.Equal(5 * scale, BitmapFont.Measure("R", scale).Width);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TextRendersWithinItsMeasuredBounds(int scale)
    {
        // Each line holds a third of printable ASCII, descenders and full-height glyphs included.
        string text = new string(Printable[..32]) + "\n" + new string(Printable[32..64]) + "\n" + new string(Printable[64..]);
        var (width, height) = BitmapFont.Measure(text, scale);
        var canvas = new RasterCanvas(width + 20, height + 20, Rgb.White);
        int drawn = canvas.DrawText(10, 10, text, Rgb.Black, scale);

        Assert.Equal(width, drawn);
        var ink = Ink(canvas.Image, Rgb.White);
        Assert.NotNull(ink);
        var (left, top, right, bottom) = ink.Value;
        Assert.InRange(left, 10, 10 + width - 1);
        Assert.InRange(top, 10, 10 + height - 1);
        Assert.InRange(right, 10, 10 + width - 1);
        Assert.InRange(bottom, 10, 10 + height - 1);
        // The box is tight: '_' and '|' reach the bottom and top rows of their lines, '~' the last column.
        Assert.Equal(10 + width - 1, right);
        Assert.Equal(10 + height - 1, bottom);
    }

    [Fact]
    public void VerticalTextFillsItsRotatedBox()
    {
        const string text = "PSNR (dB)";
        var (length, _) = BitmapFont.Measure(text, 2);
        var canvas = new RasterCanvas(60, length + 20, Rgb.White);
        canvas.DrawTextVertical(10, 10, text, Rgb.Black, 2);
        var ink = Ink(canvas.Image, Rgb.White)!.Value;
        Assert.InRange(ink.Left, 10, 10 + 16 - 1);
        Assert.InRange(ink.Right, 10, 10 + 16 - 1);
        Assert.Equal(10 + length - 1, ink.Bottom); // 'P' starts at the bottom
        Assert.InRange(ink.Top, 10, 10 + length - 1);
    }
}
