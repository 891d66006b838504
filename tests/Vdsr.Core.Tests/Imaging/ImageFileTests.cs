using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Tests.Imaging;

public sealed class ImageFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vdsr-imagefile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static ImageBuffer<byte> Pattern(int height, int width)
    {
        var image = new ImageBuffer<byte>(height, width, 3);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (byte)(i * 37 % 251);
        return image;
    }

    [Fact]
    public void LoadsRgb()
    {
        var pixels = new Rgb24[] { new(1, 2, 3), new(4, 5, 6), new(7, 8, 9), new(250, 251, 252), new(0, 0, 0), new(9, 9, 9) };
        using (var image = Image.LoadPixelData<Rgb24>(pixels, 3, 2)) image.SaveAsPng(PathOf("rgb.png"));
        var loaded = ImageFile.Load(PathOf("rgb.png"));
        Assert.Equal((2, 3, 3), (loaded.Rgb.Height, loaded.Rgb.Width, loaded.Rgb.Channels));
        Assert.Equal(pixels.SelectMany(p => new[] { p.R, p.G, p.B }), loaded.Rgb.Data);
        Assert.Null(loaded.Alpha);
        Assert.False(loaded.IsGrayscale);
    }

    [Fact]
    public void LoadsGrayscaleReplicatedToRgb()
    {
        var pixels = new L8[] { new(0), new(100), new(200), new(255) };
        using (var image = Image.LoadPixelData<L8>(pixels, 2, 2)) image.SaveAsPng(PathOf("gray.png"));
        var loaded = ImageFile.Load(PathOf("gray.png"));
        Assert.Equal(new byte[] { 0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255 }, loaded.Rgb.Data);
        Assert.True(loaded.IsGrayscale);
        Assert.Null(loaded.Alpha);
    }

    [Fact]
    public void KeepsAlphaOnlyWhenNotOpaque()
    {
        var translucent = new Rgba32[] { new(10, 20, 30, 255), new(40, 50, 60, 128) };
        using (var image = Image.LoadPixelData<Rgba32>(translucent, 2, 1)) image.SaveAsPng(PathOf("rgba.png"));
        var loaded = ImageFile.Load(PathOf("rgba.png"));
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60 }, loaded.Rgb.Data);
        Assert.NotNull(loaded.Alpha);
        Assert.Equal(new byte[] { 255, 128 }, loaded.Alpha!.Data);

        var opaque = new Rgba32[] { new(10, 20, 30, 255), new(40, 50, 60, 255) };
        using (var image = Image.LoadPixelData<Rgba32>(opaque, 2, 1)) image.SaveAsPng(PathOf("opaque.png"));
        Assert.Null(ImageFile.Load(PathOf("opaque.png")).Alpha);
    }

    [Fact]
    public void MissingFileIsAUserError()
    {
        var e = Assert.Throws<VdsrUserException>(() => ImageFile.Load(PathOf("nope.png")));
        Assert.Contains("nope.png", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void NonImageIsAUserError()
    {
        File.WriteAllText(PathOf("text.png"), "this is not an image at all");
        var e = Assert.Throws<VdsrUserException>(() => ImageFile.Load(PathOf("text.png")));
        Assert.Contains("text.png", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void TruncatedImageIsAUserError()
    {
        ImageFile.Save(PathOf("whole.png"), Pattern(64, 64));
        var bytes = File.ReadAllBytes(PathOf("whole.png"));
        File.WriteAllBytes(PathOf("cut.png"), bytes[..(bytes.Length / 3)]);
        var e = Assert.Throws<VdsrUserException>(() => ImageFile.Load(PathOf("cut.png")));
        Assert.Contains("cut.png", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ImageAbovePixelLimitIsRejected()
    {
        ImageFile.Save(PathOf("big.png"), Pattern(20, 30));
        var e = Assert.Throws<VdsrUserException>(() => ImageFile.Load(PathOf("big.png"), maxPixels: 599));
        Assert.Contains("big.png", e.Message);
        Assert.Contains("30x20", e.Message);
        Assert.Equal(20, ImageFile.Load(PathOf("big.png"), maxPixels: 600).Rgb.Height);
    }

    [Theory]
    [InlineData("out.png")]
    [InlineData("out.bmp")]
    public void LosslessFormatsRoundTrip(string name)
    {
        var rgb = Pattern(9, 13);
        ImageFile.Save(PathOf(name), rgb);
        var loaded = ImageFile.Load(PathOf(name));
        Assert.Equal(rgb.Data, loaded.Rgb.Data);
        Assert.Null(loaded.Alpha);
    }

    [Fact]
    public void PngKeepsAlpha()
    {
        var rgb = Pattern(4, 5);
        var alpha = new ImageBuffer<byte>(4, 5, 1);
        for (int i = 0; i < alpha.Data.Length; i++) alpha.Data[i] = (byte)(i * 12);
        ImageFile.Save(PathOf("alpha.png"), rgb, alpha);
        var loaded = ImageFile.Load(PathOf("alpha.png"));
        Assert.Equal(alpha.Data, loaded.Alpha!.Data);
        // PNG stores straight (not premultiplied) alpha, so colours survive except under alpha 0.
        for (int i = 1; i < alpha.Data.Length; i++)
            Assert.Equal(rgb.Data.AsSpan(3 * i, 3).ToArray(), loaded.Rgb.Data.AsSpan(3 * i, 3).ToArray());
    }

    [Fact]
    public void JpegIsWrittenAndReadable()
    {
        var rgb = new ImageBuffer<byte>(16, 16, 3);
        Array.Fill(rgb.Data, (byte)120);
        ImageFile.Save(PathOf("out.JPG"), rgb);
        var loaded = ImageFile.Load(PathOf("out.JPG"));
        Assert.All(loaded.Rgb.Data, v => Assert.InRange(v, (byte)118, (byte)122));
    }

    [Fact]
    public void UnknownExtensionIsAUserError()
    {
        var e = Assert.Throws<VdsrUserException>(() => ImageFile.Save(PathOf("out.xyz"), Pattern(2, 2)));
        Assert.Contains("out.xyz", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public void UnwritablePathIsAUserError()
    {
        File.WriteAllText(PathOf("file"), "x");
        var e = Assert.Throws<VdsrUserException>(() => ImageFile.Save(PathOf(Path.Combine("file", "out.png")), Pattern(2, 2)));
        Assert.Contains("out.png", e.Message);
        Assert.Throws<VdsrUserException>(() => ImageFile.Save(PathOf(Path.Combine("missing", "out.png")), Pattern(2, 2)));
    }

    [Fact]
    public void FailedSaveLeavesNoPartialFile()
    {
        // The final rename fails (a folder has the target's name) after the image was encoded.
        Directory.CreateDirectory(PathOf("taken.png"));
        Assert.Throws<VdsrUserException>(() => ImageFile.Save(PathOf("taken.png"), Pattern(8, 8)));
        Assert.Equal(new[] { PathOf("taken.png") }, Directory.GetFileSystemEntries(_folder));
        Assert.Empty(Directory.GetFileSystemEntries(PathOf("taken.png")));
    }

    [Fact]
    public void SaveReplacesAnExistingFileAndLeavesNoTemporaryFiles()
    {
        File.WriteAllText(PathOf("out.png"), "old content");
        ImageFile.Save(PathOf("out.png"), Pattern(3, 3));
        Assert.Equal(Pattern(3, 3).Data, ImageFile.Load(PathOf("out.png")).Rgb.Data);
        Assert.Equal(new[] { PathOf("out.png") }, Directory.GetFileSystemEntries(_folder));
    }
}
