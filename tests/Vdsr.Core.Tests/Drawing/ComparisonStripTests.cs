using Vdsr.Core.Drawing;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Tests.Drawing;

public class ComparisonStripTests
{
    private static ImageBuffer<byte> Flat(int height, int width, byte r, byte g, byte b)
    {
        var image = new ImageBuffer<byte>(height, width, 3);
        for (int i = 0; i < image.PixelCount; i++) (image.Data[3 * i], image.Data[3 * i + 1], image.Data[3 * i + 2]) = (r, g, b);
        return image;
    }

    private static int DarkPixels(ImageBuffer<byte> strip, int top, int left, int height, int width)
    {
        int dark = 0;
        for (int row = top; row < top + height; row++)
            for (int col = left; col < left + width; col++)
                if (strip[row, col, 0] < 128 && strip[row, col, 1] < 128 && strip[row, col, 2] < 128) dark++;
        return dark;
    }

    [Fact]
    public void PanelsSitSideBySideWithCaptionsUnderThem()
    {
        var first = Flat(40, 60, 200, 30, 30);
        var second = Flat(30, 50, 30, 200, 30);
        var strip = ComparisonStrip.Render([new StripPanel(first, "Bicubic 27.11 dB"), new StripPanel(second, "VDSR")]);

        Assert.Equal((40 + ComparisonStrip.CaptionBandHeight, 60 + ComparisonStrip.Gap + 50), (strip.Height, strip.Width));
        Assert.Equal(first.Data, strip.Crop(0, 0, 40, 60).Data);
        Assert.Equal(second.Data, strip.Crop(0, 60 + ComparisonStrip.Gap, 30, 50).Data);
        // Below the shorter panel and in the gap: white.
        Assert.All(strip.Crop(30, 68, 10, 50).Data, v => Assert.Equal(255, v));
        Assert.All(strip.Crop(0, 60, 40, ComparisonStrip.Gap).Data, v => Assert.Equal(255, v));
        // The captions are drawn (the bundled font), each under its own panel.
        Assert.True(DarkPixels(strip, 40, 0, ComparisonStrip.CaptionBandHeight, 60) > 40);
        Assert.True(DarkPixels(strip, 40, 68, ComparisonStrip.CaptionBandHeight, 50) > 20);
    }

    [Fact]
    public void ALongCaptionIsShortenedToItsPanel()
    {
        using var font = new SkiaSharp.SKFont(BundledFont.Typeface, ComparisonStrip.TextSize);
        string fitted = ComparisonStrip.Fit("a caption far wider than thirty pixels", 60, font);
        Assert.EndsWith("..", fitted);
        Assert.StartsWith(fitted[..^2], "a caption far wider than thirty pixels");
        Assert.InRange(font.MeasureText(fitted), 1, 60);
        Assert.Equal("VDSR", ComparisonStrip.Fit("VDSR", 60, font));

        var strip = ComparisonStrip.Render([new StripPanel(Flat(20, 30, 0, 0, 0), "a caption far wider than thirty pixels"), new StripPanel(Flat(20, 30, 0, 0, 0), "")]);
        Assert.True(DarkPixels(strip, 20, 0, ComparisonStrip.CaptionBandHeight, 30) > 0);
        Assert.Equal(0, DarkPixels(strip, 20, 30, ComparisonStrip.CaptionBandHeight, strip.Width - 30));
    }

    [Fact]
    public void GrayPanelsAndBadInput()
    {
        var gray = new ImageBuffer<byte>(5, 6, 1);
        for (int i = 0; i < gray.Data.Length; i++) gray.Data[i] = (byte)(i * 7);
        var strip = ComparisonStrip.Render([new StripPanel(gray, "")]);
        Assert.Equal(gray.Data, strip.Crop(0, 0, 5, 6).Channel(1).Data);
        Assert.Throws<ArgumentException>(() => ComparisonStrip.Render([]));
        Assert.Throws<ArgumentException>(() => ComparisonStrip.Render([new StripPanel(new ImageBuffer<byte>(4, 4, 2), "x")]));
    }
}
