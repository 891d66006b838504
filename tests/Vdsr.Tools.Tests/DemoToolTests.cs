namespace Vdsr.Tools.Tests;

public class DemoToolTests
{
    [Fact]
    public void Set5ButterflyPrintsPsnrsAndWritesImagesAndStrip()
    {
        using var temp = new TempFolder();
        var r = Tool.Run("demo", ["--image", "butterfly_GT", "--scale", "4", "--output", temp.Path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("PSNR_predicted=", r.Stdout);
        Assert.Contains("PSNR_bicubic=", r.Stdout);
        Assert.Contains("Precision: ", r.Stdout); // auto by default: bf16 or fp32 depending on the CPU
        Assert.Contains(", convs: ", r.Stdout);
        var names = temp.Files().Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(new[] { "butterfly_GT_x4_bicubic.png", "butterfly_GT_x4_compare.png", "butterfly_GT_x4_gt.png", "butterfly_GT_x4_vdsr.png" }, names);
        double predicted = ReadNumber(r.Stdout, "PSNR_predicted=");
        double bicubic = ReadNumber(r.Stdout, "PSNR_bicubic=");
        Assert.True(predicted > bicubic + 4, $"VDSR {predicted} dB vs bicubic {bicubic} dB");
    }

    private static double ReadNumber(string text, string key)
    {
        var line = text.Split('\n').First(l => l.StartsWith(key, StringComparison.Ordinal));
        return double.Parse(line[key.Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void MissingImage()
    {
        using var temp = new TempFolder();
        var r = Tool.Run("demo", ["--image", temp.File("nope.png"), "--output", temp.File("out")]);
        Tool.AssertOneLineError(r, temp.File("nope.png"), "not found");
    }

    [Fact]
    public void CorruptImageLeavesNoOutput()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("bad.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);
        var r = Tool.Run("demo", ["--image", temp.File("bad.png"), "--scale", "2", "--output", temp.File("out")]);
        Tool.AssertOneLineError(r, temp.File("bad.png"));
        Assert.False(Directory.Exists(temp.File("out")), "the output folder was created before the image loaded");
    }

    /// <summary>A BMP, a PNG and a JPEG cut short: each refused in one line, exit 1, nothing written.</summary>
    [Theory]
    [InlineData("Set5/butterfly_GT.bmp", "cut.bmp")]
    [InlineData("png", "cut.png")]
    [InlineData("tests/fixtures/jpeg/colour_420.jpg", "cut.jpg")]
    public void TruncatedImageIsRefused(string source, string name)
    {
        using var temp = new TempFolder();
        byte[] bytes;
        if (source == "png") // made from the BMP: the repository holds no PNG
        {
            var png = temp.File("whole.png");
            Vdsr.Core.Imaging.ImageFile.Save(png, Vdsr.Core.Imaging.ImageFile.Load(Tool.InRepo("Set5/butterfly_GT.bmp")).Rgb);
            bytes = File.ReadAllBytes(png);
        }
        else
        {
            bytes = File.ReadAllBytes(Tool.InRepo(source));
        }
        File.WriteAllBytes(temp.File(name), bytes[..(bytes.Length * 2 / 3)]);
        var r = Tool.Run("demo", ["--image", temp.File(name), "--scale", "2", "--output", temp.File("out")]);
        Assert.Equal(1, r.ExitCode);
        Tool.AssertOneLineError(r, temp.File(name), "truncated");
        Assert.False(Directory.Exists(temp.File("out")));
    }

    [Fact]
    public void UnsupportedFormat()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("notes.txt"), "hello");
        var r = Tool.Run("demo", ["--image", temp.File("notes.txt"), "--scale", "2", "--output", temp.File("out")]);
        Tool.AssertOneLineError(r, temp.File("notes.txt"), "not an image");
    }

    [Theory]
    [InlineData("9")]
    [InlineData("1")]
    public void ScaleOutsideTwoToEight(string scale)
    {
        Tool.AssertOneLineError(Tool.Run("demo", ["--scale", scale]), "--scale");
    }

    [Fact]
    public void NonIntegerScaleIsRejectedByTheParser()
    {
        var r = Tool.Run("demo", ["--scale", "2.5"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("2.5", r.Stderr);
    }

    [Fact]
    public void OutputFolderNotWritable()
    {
        using var temp = new TempFolder();
        TestImages.WriteRgb(temp.File("in.png"), 12, 10);
        File.WriteAllText(temp.File("blocker"), "a file where the output folder should go");
        var r = Tool.Run("demo", ["--image", temp.File("in.png"), "--scale", "2", "--output", temp.File("blocker/out")]);
        Tool.AssertOneLineError(r, temp.File("blocker/out"));
    }

    [Fact]
    public void ImageLargerThanThePixelLimit()
    {
        using var temp = new TempFolder();
        TestImages.WriteRgb(temp.File("in.png"), 30, 20);
        var r = Tool.Run("demo", ["--image", temp.File("in.png"), "--scale", "2", "--max-pixels", "500", "--output", temp.File("out")]);
        Tool.AssertOneLineError(r, temp.File("in.png"), "500");
        Assert.False(Directory.Exists(temp.File("out")) && Directory.EnumerateFileSystemEntries(temp.File("out")).Any());
    }

    [Fact]
    public void UpscalesAFolderWithComparisonStrips()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("in"));
        TestImages.WriteRgb(temp.File("in/a.png"), 16, 12);
        TestImages.WriteRgb(temp.File("in/b.bmp"), 10, 14);
        var r = Tool.Run("demo", ["--image", temp.File("in"), "--scale", "3", "--compare", "--output", temp.File("out")]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var names = Directory.GetFiles(temp.File("out")).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(new[] { "a_x3_compare.png", "a_x3_vdsr.png", "b_x3_compare.png", "b_x3_vdsr.png" }, names);
        var a = Vdsr.Core.Imaging.ImageFile.Identify(temp.File("out/a_x3_vdsr.png"));
        Assert.Equal((48, 36), (a.Width, a.Height));
    }
}
