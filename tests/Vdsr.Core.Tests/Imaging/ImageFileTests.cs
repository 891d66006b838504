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
        var pixels = new (byte R, byte G, byte B)[] { (1, 2, 3), (4, 5, 6), (7, 8, 9), (250, 251, 252), (0, 0, 0), (9, 9, 9) };
        EncodedImages.WriteRgbPng(PathOf("rgb.png"), 3, 2, (x, y) => pixels[y * 3 + x]);
        var loaded = ImageFile.Load(PathOf("rgb.png"));
        Assert.Equal((2, 3, 3), (loaded.Rgb.Height, loaded.Rgb.Width, loaded.Rgb.Channels));
        Assert.Equal(pixels.SelectMany(p => new[] { p.R, p.G, p.B }), loaded.Rgb.Data);
        Assert.Equal(3, loaded.Header.Planes);
        Assert.Null(loaded.Alpha);
        Assert.False(loaded.IsGrayscale);
    }

    [Fact]
    public void LoadsGrayscaleReplicatedToRgb()
    {
        var pixels = new byte[] { 0, 100, 200, 255 };
        EncodedImages.WriteGrayPng(PathOf("gray.png"), 2, 2, (x, y) => pixels[y * 2 + x]);
        var loaded = ImageFile.Load(PathOf("gray.png"));
        Assert.Equal(1, loaded.Header.Planes);
        Assert.Equal(new byte[] { 0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255 }, loaded.Rgb.Data);
        Assert.True(loaded.IsGrayscale);
        Assert.Null(loaded.Alpha);
    }

    [Fact]
    public void KeepsAlphaOnlyWhenNotOpaque()
    {
        var translucent = new (byte, byte, byte, byte)[] { (10, 20, 30, 255), (40, 50, 60, 128) };
        EncodedImages.WriteRgbaPng(PathOf("rgba.png"), 2, 1, (x, _) => translucent[x]);
        var loaded = ImageFile.Load(PathOf("rgba.png"));
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60 }, loaded.Rgb.Data);
        Assert.NotNull(loaded.Alpha);
        Assert.Equal(new byte[] { 255, 128 }, loaded.Alpha!.Data);

        var opaque = new (byte, byte, byte, byte)[] { (10, 20, 30, 255), (40, 50, 60, 255) };
        EncodedImages.WriteRgbaPng(PathOf("opaque.png"), 2, 1, (x, _) => opaque[x]);
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

    [Theory]
    [InlineData("colour_420", 3)]
    [InlineData("colour_422", 3)]
    [InlineData("colour_444", 3)]
    [InlineData("progressive", 3)]
    [InlineData("gray", 1)]
    public void JpegDecodesAsLibjpegTurboDoesInPil(string name, int planes)
    {
        // The .expected.png files hold PIL's decoding (libjpeg-turbo 2.1.5); see make_jpeg_fixtures.py.
        var decoded = ImageFile.Load(TestPaths.Fixture("jpeg", name + ".jpg"));
        var expected = ImageFile.Load(TestPaths.Fixture("jpeg", name + ".expected.png")).Rgb;
        Assert.Equal((expected.Height, expected.Width), (decoded.Rgb.Height, decoded.Rgb.Width));
        int differing = Enumerable.Range(0, expected.Data.Length).Count(i => expected.Data[i] != decoded.Rgb.Data[i]);
        Assert.True(differing == 0, $"{name}: {differing} of {expected.Data.Length} values differ from PIL's");
        Assert.Equal(planes, decoded.Header.Planes);
        Assert.Equal(planes == 1, decoded.IsGrayscale);
    }

    [Theory]
    [InlineData("bmp")]
    [InlineData("png")]
    [InlineData("jpg")]
    public void TruncatedFilesAreRefusedInOneLine(string format)
    {
        byte[] whole = format switch
        {
            "bmp" => File.ReadAllBytes(TestPaths.InRepo("Set5", "butterfly_GT.bmp")),
            "jpg" => File.ReadAllBytes(TestPaths.Fixture("jpeg", "colour_420.jpg")),
            _ => PngOf(Pattern(64, 64)),
        };
        foreach (double kept in new[] { 0.9, 0.5 })
        {
            string path = PathOf($"cut_{kept}.{format}");
            File.WriteAllBytes(path, whole[..(int)(whole.Length * kept)]);
            var e = Assert.Throws<VdsrUserException>(() => ImageFile.Load(path));
            Assert.StartsWith(path + ": truncated image", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void PaletteAndTrueColourFilesHaveMatlabsPlaneCounts()
    {
        // Set5's BMPs are 24-bit: three planes. A gray PNG has one.
        Assert.Equal(3, ImageFile.Identify(TestPaths.InRepo("Set5", "butterfly_GT.bmp")).Planes);
        EncodedImages.WriteGrayPng(PathOf("g.png"), 4, 4, (x, y) => (byte)(x + y));
        Assert.Equal(new ImageHeader(4, 4, 1), ImageFile.Identify(PathOf("g.png")));
    }

    private byte[] PngOf(ImageBuffer<byte> image)
    {
        ImageFile.Save(PathOf("source.png"), image);
        return File.ReadAllBytes(PathOf("source.png"));
    }
}
