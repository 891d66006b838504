using Vdsr.Core.Imaging;

namespace Vdsr.Core.Plotting;

/// <summary>
/// An RGB drawing surface over an <see cref="ImageBuffer{T}"/> of bytes (3 channels). x is the
/// column and y the row, (0, 0) the top-left pixel; integer coordinates are pixel centres.
/// Everything drawn is clipped to the canvas and to the current clip rectangle.
/// </summary>
public sealed class RasterCanvas
{
    private int _clipLeft, _clipTop, _clipRight, _clipBottom; // right/bottom exclusive

    public RasterCanvas(int width, int height, Rgb background)
        : this(new ImageBuffer<byte>(CheckSize(height), CheckSize(width), 3))
    {
        Clear(background);
    }

    /// <summary>Draws on an existing 3-channel image in place.</summary>
    public RasterCanvas(ImageBuffer<byte> image)
    {
        if (image.Channels != 3) throw new ArgumentException($"a canvas needs 3 channels, not {image.Channels}", nameof(image));
        Image = image;
        ResetClip();
    }

    public ImageBuffer<byte> Image { get; }
    public int Width => Image.Width;
    public int Height => Image.Height;

    /// <summary>Restricts drawing to the rectangle (intersected with the canvas).</summary>
    public void SetClip(int x, int y, int width, int height)
    {
        _clipLeft = Math.Clamp(x, 0, Width);
        _clipTop = Math.Clamp(y, 0, Height);
        _clipRight = Math.Clamp(x + Math.Max(width, 0), _clipLeft, Width);
        _clipBottom = Math.Clamp(y + Math.Max(height, 0), _clipTop, Height);
    }

    public void ResetClip() => SetClip(0, 0, Width, Height);

    public Rgb GetPixel(int x, int y)
    {
        if ((uint)x >= Width || (uint)y >= Height) throw new ArgumentOutOfRangeException(nameof(x), $"pixel ({x}, {y}) outside a {Width}x{Height} canvas");
        int i = (y * Width + x) * 3;
        return new Rgb(Image.Data[i], Image.Data[i + 1], Image.Data[i + 2]);
    }

    public void SetPixel(int x, int y, Rgb color)
    {
        if (x < _clipLeft || x >= _clipRight || y < _clipTop || y >= _clipBottom) return;
        int i = (y * Width + x) * 3;
        Image.Data[i] = color.R;
        Image.Data[i + 1] = color.G;
        Image.Data[i + 2] = color.B;
    }

    /// <summary>Mixes color into the pixel with weight alpha in [0, 1].</summary>
    public void BlendPixel(int x, int y, Rgb color, double alpha)
    {
        if (alpha <= 0 || x < _clipLeft || x >= _clipRight || y < _clipTop || y >= _clipBottom) return;
        if (alpha >= 1) { SetPixel(x, y, color); return; }
        SetPixel(x, y, Rgb.Lerp(GetPixel(x, y), color, alpha));
    }

    public void Clear(Rgb color) => FillRect(0, 0, Width, Height, color);

    public void FillRect(int x, int y, int width, int height, Rgb color)
    {
        int x0 = Math.Max(x, _clipLeft), x1 = Math.Min(x + width, _clipRight);
        int y0 = Math.Max(y, _clipTop), y1 = Math.Min(y + height, _clipBottom);
        for (int row = y0; row < y1; row++)
            for (int col = x0; col < x1; col++)
                SetPixel(col, row, color);
    }

    /// <summary>A one-pixel outline whose outer edge is the rectangle.</summary>
    public void DrawRect(int x, int y, int width, int height, Rgb color)
    {
        if (width <= 0 || height <= 0) return;
        FillRect(x, y, width, 1, color);
        FillRect(x, y + height - 1, width, 1, color);
        FillRect(x, y, 1, height, color);
        FillRect(x + width - 1, y, 1, height, color);
    }

    /// <summary>A plain one-pixel line (Bresenham) that includes both end points.</summary>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb color)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        while (true)
        {
            SetPixel(x0, y0, color);
            if (x0 == x1 && y0 == y1) return;
            int e2 = 2 * error;
            if (e2 >= dy) { error += dy; x0 += sx; }
            if (e2 <= dx) { error += dx; y0 += sy; }
        }
    }

    /// <summary>
    /// An anti-aliased line of the given width with round ends: each pixel is covered by how far
    /// its centre lies inside the stroke, so the end points themselves are fully inked.
    /// </summary>
    public void DrawSmoothLine(double x0, double y0, double x1, double y1, Rgb color, double thickness = 1.5)
    {
        if (!double.IsFinite(x0) || !double.IsFinite(y0) || !double.IsFinite(x1) || !double.IsFinite(y1)) return;
        double half = Math.Max(thickness, 0.5) / 2;
        double reach = half + 0.5;
        double dx = x1 - x0, dy = y1 - y0;
        double lengthSquared = dx * dx + dy * dy;
        bool alongX = Math.Abs(dx) >= Math.Abs(dy);

        // Walk the major axis; at each step only the pixels across the stroke can be touched.
        double majorFrom = (alongX ? Math.Min(x0, x1) : Math.Min(y0, y1)) - reach;
        double majorTo = (alongX ? Math.Max(x0, x1) : Math.Max(y0, y1)) + reach;
        int clipMajorFrom = alongX ? _clipLeft : _clipTop, clipMajorTo = alongX ? _clipRight : _clipBottom;
        int from = (int)Math.Max(Math.Floor(majorFrom), clipMajorFrom - 1);
        int to = (int)Math.Min(Math.Ceiling(majorTo), clipMajorTo);
        double slope = alongX ? (dx == 0 ? 0 : dy / dx) : (dy == 0 ? 0 : dx / dy);
        double crossReach = reach * Math.Sqrt(1 + slope * slope) + 1;
        for (int major = from; major <= to; major++)
        {
            double centre = alongX ? y0 + (major - x0) * slope : x0 + (major - y0) * slope;
            double lo = Math.Min(centre, alongX ? Math.Min(y0, y1) : Math.Min(x0, x1));
            double hi = Math.Max(centre, alongX ? Math.Max(y0, y1) : Math.Max(x0, x1));
            // Clamp the cross range to the segment's extent plus the stroke around the ends.
            int crossFrom = (int)Math.Floor(Math.Max(centre - crossReach, lo - reach));
            int crossTo = (int)Math.Ceiling(Math.Min(centre + crossReach, hi + reach));
            for (int cross = crossFrom; cross <= crossTo; cross++)
            {
                int px = alongX ? major : cross, py = alongX ? cross : major;
                double distance = DistanceToSegment(px, py, x0, y0, dx, dy, lengthSquared);
                BlendPixel(px, py, color, Math.Clamp(reach - distance, 0, 1));
            }
        }
    }

    /// <summary>Connected anti-aliased segments; a non-finite point breaks the line there.</summary>
    public void DrawPolyline(IReadOnlyList<(double X, double Y)> points, Rgb color, double thickness = 1.5)
    {
        for (int i = 1; i < points.Count; i++)
        {
            var (ax, ay) = points[i - 1];
            var (bx, by) = points[i];
            DrawSmoothLine(ax, ay, bx, by, color, thickness);
        }
    }

    /// <summary>Copies a gray (1-channel) or RGB (3-channel) image with its top-left corner at (x, y).</summary>
    public void Blit(ImageBuffer<byte> image, int x, int y)
    {
        if (image.Channels != 1 && image.Channels != 3)
            throw new ArgumentException($"cannot draw a {image.Channels}-channel image", nameof(image));
        int c = image.Channels;
        for (int row = 0; row < image.Height; row++)
        {
            int ty = y + row;
            if (ty < _clipTop || ty >= _clipBottom) continue;
            for (int col = 0; col < image.Width; col++)
            {
                int i = (row * image.Width + col) * c;
                var color = c == 3 ? new Rgb(image.Data[i], image.Data[i + 1], image.Data[i + 2])
                                   : new Rgb(image.Data[i], image.Data[i], image.Data[i]);
                SetPixel(x + col, ty, color);
            }
        }
    }

    /// <summary>Draws text with its top-left corner at (x, y); returns the drawn width in pixels.</summary>
    public int DrawText(int x, int y, string text, Rgb color, int scale = 1)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale));
        int penX = x, penY = y;
        foreach (char ch in text)
        {
            if (ch == '\n') { penX = x; penY += BitmapFont.LineAdvance * scale; continue; }
            DrawGlyph(ch, penX, penY, color, scale, vertical: false);
            penX += BitmapFont.Advance * scale;
        }
        return BitmapFont.Measure(text, scale).Width;
    }

    /// <summary>
    /// Draws one line of text turned 90 degrees counter-clockwise (reading bottom to top), e.g. a
    /// y-axis label; (x, y) is the top-left corner of its bounding box.
    /// </summary>
    public void DrawTextVertical(int x, int y, string text, Rgb color, int scale = 1)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale));
        int length = BitmapFont.Measure(text, scale).Width;
        int penY = y + length; // the baseline runs upwards from the bottom of the box
        foreach (char ch in text)
        {
            if (ch == '\n') continue;
            DrawGlyph(ch, x, penY, color, scale, vertical: true);
            penY -= BitmapFont.Advance * scale;
        }
    }

    public void SavePng(string path) => PngWriter.Save(Image, path);

    private void DrawGlyph(char ch, int x, int y, Rgb color, int scale, bool vertical)
    {
        ulong mask = BitmapFont.Mask(ch);
        if (mask == 0) return;
        for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            for (int col = 0; col < BitmapFont.GlyphWidth; col++)
            {
                if ((mask >> (row * BitmapFont.GlyphWidth + col) & 1UL) == 0) continue;
                if (vertical)
                    FillRect(x + row * scale, y - (col + 1) * scale, scale, scale, color);
                else
                    FillRect(x + col * scale, y + row * scale, scale, scale, color);
            }
    }

    private static double DistanceToSegment(double px, double py, double x0, double y0, double dx, double dy, double lengthSquared)
    {
        double t = lengthSquared == 0 ? 0 : Math.Clamp(((px - x0) * dx + (py - y0) * dy) / lengthSquared, 0, 1);
        double ex = px - (x0 + t * dx), ey = py - (y0 + t * dy);
        return Math.Sqrt(ex * ex + ey * ey);
    }

    private static int CheckSize(int size) =>
        size is >= 1 and <= 32768 ? size : throw new ArgumentOutOfRangeException(nameof(size), $"canvas size {size} is not in 1..32768");
}
