using Vdsr.Core.Drawing;
using Vdsr.Core.Tests.Imaging;
using Vdsr.Core.Imaging;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Inference;

/// <summary>Upscaling RGB, grayscale and RGBA files end to end (a small random network keeps it fast).</summary>
public class ImageUpscaleJobTests
{
    public ImageUpscaleJobTests() => TorchRuntime.EnsureInitialized();

    private static ImageUpscaleJob Job(string output, int scale = 2)
    {
        var net = Trainer.CreateNetwork(VdsrArchitecture.Uniform(4, 8), seed: 3);
        return new ImageUpscaleJob { Upscaler = new Upscaler(net, CPU), Scale = scale, OutputFolder = output, Compare = true };
    }

    [Fact]
    public void RgbImageIsEnlargedWithAComparisonStrip()
    {
        using var temp = new TempFolder();
        EncodedImages.WriteRgbPng(temp.File("rgb.png"), 20, 14, (x, y) => ((byte)(x * 12), (byte)(y * 17), 90));
        var written = Job(temp.File("out"), 3).Run(temp.File("rgb.png"));
        Assert.Equal(new[] { temp.File("out/rgb_x3_vdsr.png"), temp.File("out/rgb_x3_compare.png") }, written);
        var result = ImageFile.Load(written[0]);
        Assert.Equal((42, 60), (result.Rgb.Height, result.Rgb.Width));
        Assert.Null(result.Alpha);
        Assert.False(result.IsGrayscale);
        var strip = ImageFile.Identify(written[1]);
        Assert.Equal((2 * 60 + ComparisonStrip.Gap, 42 + ComparisonStrip.CaptionBandHeight), (strip.Width, strip.Height));
    }

    [Fact]
    public void GrayscaleImageStaysGray()
    {
        using var temp = new TempFolder();
        EncodedImages.WriteGrayPng(temp.File("gray.png"), 16, 12, (x, y) => (byte)(x * 15 + y));
        var written = Job(temp.File("out")).Run(temp.File("gray.png"));
        var result = ImageFile.Load(written[0]);
        Assert.Equal((24, 32), (result.Rgb.Height, result.Rgb.Width));
        // Cb = Cr = 128/255 for gray input, so the colour conversion may move R, G, B apart by rounding only.
        for (int i = 0; i < result.Rgb.PixelCount; i++)
        {
            int r = result.Rgb.Data[3 * i], g = result.Rgb.Data[3 * i + 1], b = result.Rgb.Data[3 * i + 2];
            Assert.True(Math.Abs(r - g) <= 1 && Math.Abs(g - b) <= 1, $"pixel {i}: {r},{g},{b}");
        }
    }

    [Fact]
    public void AlphaChannelIsEnlargedBicubically()
    {
        using var temp = new TempFolder();
        var alpha = new ImageBuffer<byte>(10, 12, 1);
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 12; x++)
                alpha[y, x] = (byte)(x < 6 ? 255 : 40 + y * 10);
        EncodedImages.WriteRgbaPng(temp.File("rgba.png"), 12, 10, (x, y) => (200, (byte)(x * 20), 30, alpha[y, x]));
        var written = Job(temp.File("out")).Run(temp.File("rgba.png"));
        var result = ImageFile.Load(written[0]);
        Assert.NotNull(result.Alpha);
        Assert.Equal(MatlabResize.Resize(alpha, 2.0).Data, result.Alpha!.Data);
    }

    [Fact]
    public void BicubicIsWrittenBesideAndLeavesTheVdsrFileUnchanged()
    {
        using var temp = new TempFolder();
        EncodedImages.WriteRgbaPng(temp.File("rgba.png"), 13, 9, (x, y) => ((byte)(x * 19), (byte)(y * 23), 70, (byte)(255 - x * 9)));
        var plain = new ImageUpscaleJob { Upscaler = Job(temp.File("a")).Upscaler, Scale = 3, OutputFolder = temp.File("a") };
        var withBicubic = new ImageUpscaleJob { Upscaler = Job(temp.File("b")).Upscaler, Scale = 3, OutputFolder = temp.File("b"), Bicubic = true };
        var a = plain.Run(temp.File("rgba.png"));
        var b = withBicubic.Run(temp.File("rgba.png"));
        Assert.Equal(new[] { temp.File("b/rgba_x3_vdsr.png"), temp.File("b/rgba_x3_bicubic.png") }, b);
        Assert.Equal(File.ReadAllBytes(a[0]), File.ReadAllBytes(b[0]));

        var input = ImageFile.Load(temp.File("rgba.png"));
        var expected = withBicubic.Upscaler.Upscale(input.Rgb, input.Alpha, 3);
        var bicubic = ImageFile.Load(b[1]);
        Assert.Equal(expected.Bicubic!.Data, bicubic.Rgb.Data);
        Assert.Equal(expected.Alpha!.Data, bicubic.Alpha!.Data);
    }

    [Fact]
    public void FailedLoadWritesNothing()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("bad.png"), "not an image");
        Assert.Throws<VdsrUserException>(() => Job(temp.File("out")).Run(temp.File("bad.png")));
        Assert.False(Directory.Exists(temp.File("out")) && Directory.EnumerateFileSystemEntries(temp.File("out")).Any());
    }
}
