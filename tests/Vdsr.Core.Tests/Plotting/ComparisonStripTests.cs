using Vdsr.Core.Imaging;
using Vdsr.Core.Plotting;
using static Vdsr.Core.Tests.Plotting.CanvasInspection;

namespace Vdsr.Core.Tests.Plotting;

public class ComparisonStripTests
{
    private static ImageBuffer<byte> Gradient(int height, int width, int seed)
    {
        var image = new ImageBuffer<byte>(height, width, 3);
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
            {
                image[r, c, 0] = (byte)(r * 3 + seed);
                image[r, c, 1] = (byte)(c * 5 + seed);
                image[r, c, 2] = (byte)(seed * 40 + 20);
            }
        return image;
    }

    [Fact]
    public void StripIsPanelsSideBySideWithGapsAndCaptions()
    {
        var options = new ComparisonStripOptions { Gap = 7, TextScale = 2, CaptionPadding = 5 };
        StripPanel[] panels =
        [
            new(Gradient(60, 120, 1), "Ground truth"),
            new(Gradient(57, 117, 2), "Bicubic 22.14 dB"),
            new(Gradient(60, 118, 3), "VDSR 27.37 dB"),
        ];
        var strip = ComparisonStrip.Render(panels, options);

        Assert.Equal(120 + 117 + 118 + 2 * 7, strip.Width);
        Assert.Equal(60 + 8 * 2 + 2 * 5, strip.Height);
        Assert.Equal(8 * 2 + 2 * 5, ComparisonStrip.CaptionBandHeight(options));

        int left = 0;
        foreach (var panel in panels)
        {
            var image = panel.Image;
            for (int r = 0; r < image.Height; r++)
                for (int c = 0; c < image.Width; c++)
                    Assert.Equal(new Rgb(image[r, c, 0], image[r, c, 1], image[r, c, 2]), Pixel(strip, left + c, r));
            // Text pixels under this panel, within the caption band and the panel's columns.
            int textPixels = Count(strip, Rgb.Black, left, 60, image.Width, strip.Height - 60);
            Assert.True(textPixels > 50, $"caption '{panel.Label}' has {textPixels} text pixels");
            left += image.Width + options.Gap;
        }
        // Below the shorter panel and inside the gaps only background remains.
        Assert.Equal(117 * 3, Count(strip, Rgb.White, 127, 57, 117, 3));
        Assert.Equal(7 * strip.Height, Count(strip, Rgb.White, 120, 0, 7, strip.Height));
    }

    [Fact]
    public void LongLabelsStayUnderTheirPanel()
    {
        var strip = ComparisonStrip.Render(
            [new(Gradient(20, 40, 1), "A label far wider than its panel"), new(Gradient(20, 40, 2), "")],
            new ComparisonStripOptions { Gap = 4 });
        Assert.True(Count(strip, Rgb.Black, 0, 20, 40, strip.Height - 20) > 20);
        Assert.Equal(0, Count(strip, Rgb.Black, 40, 20, strip.Width - 40, strip.Height - 20));
    }

    [Fact]
    public void GrayPanelsAreShownAsGray()
    {
        var gray = new ImageBuffer<byte>(10, 12, 1);
        for (int i = 0; i < gray.Data.Length; i++) gray.Data[i] = (byte)(i * 2);
        var strip = ComparisonStrip.Render([new(gray, "Y")]);
        Assert.Equal(new Rgb(gray[3, 5], gray[3, 5], gray[3, 5]), Pixel(strip, 5, 3));
    }

    [Fact]
    public void ZoomInsetShowsTheRegionEnlarged()
    {
        var image = Gradient(80, 80, 4);
        var strip = ComparisonStrip.Render([new(image, "GT")], new ComparisonStripOptions { Inset = new ZoomInset(10, 20, 8, 3) });
        // The 24x24 inset sits 2 px from the panel's bottom-right corner.
        int insetLeft = 80 - 24 - 2, insetTop = 80 - 24 - 2;
        for (int r = 0; r < 24; r++)
            for (int c = 0; c < 24; c++)
                Assert.Equal(new Rgb(image[10 + r / 3, 20 + c / 3, 0], image[10 + r / 3, 20 + c / 3, 1], image[10 + r / 3, 20 + c / 3, 2]),
                             Pixel(strip, insetLeft + c, insetTop + r));
        Assert.Equal(new ComparisonStripOptions().InsetColor, Pixel(strip, 19, 9)); // outline around the source region
    }

    [Fact]
    public void EmptyStripIsRejected()
    {
        Assert.Throws<ArgumentException>(() => ComparisonStrip.Render([]));
    }
}
