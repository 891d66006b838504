using Vdsr.Core.Imaging;
using Vdsr.Core.Plotting;
using static Vdsr.Core.Tests.Plotting.CanvasInspection;

namespace Vdsr.Core.Tests.Plotting;

public class RasterCanvasTests
{
    private static readonly Rgb Red = new(200, 30, 40);

    [Theory]
    [InlineData(2, 3, 37, 11)]   // shallow
    [InlineData(5, 40, 9, 1)]    // steep, upwards
    [InlineData(30, 30, 1, 20)]  // right to left
    [InlineData(7, 7, 7, 7)]     // a single point
    [InlineData(0, 10, 39, 10)]  // horizontal, edge to edge
    public void PlainLineHitsBothEndPointsAndIsConnected(int x0, int y0, int x1, int y1)
    {
        var canvas = new RasterCanvas(40, 41, Rgb.White);
        canvas.DrawLine(x0, y0, x1, y1, Red);

        Assert.Equal(Red, Pixel(canvas.Image, x0, y0));
        Assert.Equal(Red, Pixel(canvas.Image, x1, y1));
        int expectedCount = Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)) + 1;
        Assert.Equal(expectedCount, Count(canvas.Image, Red));
        // Every inked pixel but the end points has two 8-neighbours on the line.
        for (int y = 0; y < canvas.Height; y++)
            for (int x = 0; x < canvas.Width; x++)
            {
                if (Pixel(canvas.Image, x, y) != Red || (x, y) == (x0, y0) || (x, y) == (x1, y1)) continue;
                Assert.True(CountNeighbours(canvas.Image, x, y) >= 2, $"gap next to ({x}, {y})");
            }
    }

    [Theory]
    [InlineData(3.0, 4.0, 50.0, 27.0, 1.0)]
    [InlineData(10.2, 45.7, 12.9, 2.3, 2.0)]
    [InlineData(40.0, 20.0, 5.0, 20.0, 3.0)]
    public void SmoothLineInksItsEndPointsAndStaysNearTheSegment(double x0, double y0, double x1, double y1, double thickness)
    {
        var canvas = new RasterCanvas(60, 50, Rgb.White);
        canvas.DrawSmoothLine(x0, y0, x1, y1, Red, thickness);

        Assert.Equal(Red, Pixel(canvas.Image, (int)Math.Round(x0), (int)Math.Round(y0)));
        Assert.Equal(Red, Pixel(canvas.Image, (int)Math.Round(x1), (int)Math.Round(y1)));
        double reach = thickness / 2 + 0.5;
        for (int y = 0; y < canvas.Height; y++)
            for (int x = 0; x < canvas.Width; x++)
            {
                double d = DistanceToSegment(x, y, x0, y0, x1, y1);
                if (d >= reach) Assert.Equal(Rgb.White, Pixel(canvas.Image, x, y));
                if (d <= reach - 1) Assert.Equal(Red, Pixel(canvas.Image, x, y));
            }
    }

    [Fact]
    public void PolylineBreaksAtNonFinitePoints()
    {
        var canvas = new RasterCanvas(60, 40, Rgb.White);
        canvas.DrawPolyline([(5, 5), (25, 5), (double.NaN, 20), (25, 30), (50, 30)], Red, 1.5);
        Assert.Equal(Red, Pixel(canvas.Image, 15, 5));
        Assert.Equal(Red, Pixel(canvas.Image, 40, 30));
        for (int y = 8; y <= 27; y++) Assert.Equal(Rgb.White, Pixel(canvas.Image, 25, y)); // no bridge
    }

    [Fact]
    public void BlitCopiesRgbAndGrayAndClipsAtTheEdges()
    {
        var rgb = new ImageBuffer<byte>(4, 5, 3);
        for (int i = 0; i < rgb.Data.Length; i++) rgb.Data[i] = (byte)(i * 3 + 1);
        var gray = new ImageBuffer<byte>(3, 3, 1, [10, 20, 30, 40, 50, 60, 70, 80, 90]);
        var canvas = new RasterCanvas(8, 6, Rgb.Black);

        canvas.Blit(rgb, 1, 1);
        canvas.Blit(gray, 6, -1); // only columns 0..1 and rows 1..2 land on the canvas

        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 5; c++)
                Assert.Equal(new Rgb(rgb[r, c, 0], rgb[r, c, 1], rgb[r, c, 2]), Pixel(canvas.Image, 1 + c, 1 + r));
        Assert.Equal(new Rgb(40, 40, 40), Pixel(canvas.Image, 6, 0));
        Assert.Equal(new Rgb(80, 80, 80), Pixel(canvas.Image, 7, 1));
        Assert.Equal(Rgb.Black, Pixel(canvas.Image, 0, 0));
    }

    [Fact]
    public void ClipRectangleLimitsEveryDrawingCall()
    {
        var canvas = new RasterCanvas(30, 30, Rgb.White);
        canvas.SetClip(10, 10, 10, 10);
        canvas.FillRect(0, 0, 30, 30, Red);
        canvas.DrawLine(0, 29, 29, 0, Rgb.Black);
        canvas.DrawText(0, 12, "WWWWWW", Rgb.Black, 2);
        Assert.Equal(new(10, 10, 19, 19), Ink(canvas.Image, Rgb.White));
        canvas.ResetClip();
        canvas.SetPixel(0, 0, Red);
        Assert.Equal(Red, Pixel(canvas.Image, 0, 0));
    }

    private static int CountNeighbours(ImageBuffer<byte> image, int x, int y)
    {
        int n = 0;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
            {
                int nx = x + dx, ny = y + dy;
                if ((dx, dy) != (0, 0) && nx >= 0 && ny >= 0 && nx < image.Width && ny < image.Height && Pixel(image, nx, ny) == Red) n++;
            }
        return n;
    }

    private static double DistanceToSegment(double px, double py, double x0, double y0, double x1, double y1)
    {
        double dx = x1 - x0, dy = y1 - y0, l2 = dx * dx + dy * dy;
        double t = l2 == 0 ? 0 : Math.Clamp(((px - x0) * dx + (py - y0) * dy) / l2, 0, 1);
        return Math.Sqrt(Math.Pow(px - x0 - t * dx, 2) + Math.Pow(py - y0 - t * dy, 2));
    }
}
