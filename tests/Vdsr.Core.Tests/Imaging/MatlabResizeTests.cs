using Vdsr.Core.Imaging;

namespace Vdsr.Core.Tests.Imaging;

public class MatlabResizeTests
{
    // tests/fixtures/imaging/resize_*.npy were made once with the NumPy reference implementation of
    // MATLAB imresize (bicubic) from a random 9x13x3 float64 image and a random 9x13x3 uint8 image
    // (numpy default_rng(20240601)): resize_input_*.npy are the inputs, the others the outputs.
    public static TheoryData<string, double, int, int> Cases => new()
    {
        { "scale_0.5", 0.5, 0, 0 },
        { "scale_0.3333", 1.0 / 3, 0, 0 },
        { "scale_0.75", 0.75, 0, 0 },
        { "scale_2", 2.0, 0, 0 },
        { "scale_3", 3.0, 0, 0 },
        { "size_5x20", 0, 5, 20 },
        { "size_14x4", 0, 14, 4 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DoubleMatchesReference(string name, double scale, int height, int width)
    {
        var input = Npy.ReadDouble(TestPaths.Fixture("imaging", "resize_input_f64.npy")).ToImageDouble();
        var expected = Npy.ReadDouble(TestPaths.Fixture("imaging", $"resize_{name}_f64.npy")).ToImageDouble();
        var actual = scale > 0 ? MatlabResize.Resize(input, scale) : MatlabResize.Resize(input, height, width);
        AssertSameShape(expected, actual);
        double maxDiff = expected.Data.Zip(actual.Data, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= 1e-14, $"max |diff| {maxDiff:E3}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ByteMatchesReference(string name, double scale, int height, int width)
    {
        var input = Npy.ReadDouble(TestPaths.Fixture("imaging", "resize_input_u8.npy")).ToImageByte();
        var expected = Npy.ReadDouble(TestPaths.Fixture("imaging", $"resize_{name}_u8.npy")).ToImageByte();
        var actual = scale > 0 ? MatlabResize.Resize(input, scale) : MatlabResize.Resize(input, height, width);
        AssertSameShape(expected, actual);
        Assert.Equal(expected.Data, actual.Data);
    }

    [Theory]
    [InlineData("baby")]
    [InlineData("bird")]
    [InlineData("butterfly")]
    [InlineData("head")]
    [InlineData("woman")]
    public void ReproducesSet5BicubicBitmapsBitForBit(string name)
    {
        // Set5/<name>_GT_scale_<s>.bmp were made by MATLAB: imresize(imresize(modcrop(GT, s), 1/s), s) on uint8.
        var gt = ImageFile.Load(TestPaths.InRepo("Set5", $"{name}_GT.bmp")).Rgb;
        foreach (int s in new[] { 2, 3, 4 })
        {
            var expected = ImageFile.Load(TestPaths.InRepo("Set5", $"{name}_GT_scale_{s}.bmp")).Rgb;
            var actual = MatlabResize.Resize(MatlabResize.Resize(ModCrop.Apply(gt, s), 1.0 / s), (double)s);
            AssertSameShape(expected, actual);
            int differing = expected.Data.Zip(actual.Data).Count(p => p.First != p.Second);
            Assert.True(differing == 0, $"{name} x{s}: {differing} of {expected.Data.Length} values differ");
        }
    }

    [Fact]
    public void ConstantImageStaysConstant()
    {
        var image = new ImageBuffer<double>(7, 5, 2);
        Array.Fill(image.Data, 0.25);
        foreach (var resized in new[] { MatlabResize.Resize(image, 0.4), MatlabResize.Resize(image, 2.5), MatlabResize.Resize(image, 3, 11) })
            Assert.All(resized.Data, v => Assert.Equal(0.25, v, 1e-15));
    }

    [Fact]
    public void OutputSizeIsCeilingOfScaledSize()
    {
        var image = new ImageBuffer<byte>(255, 10, 3);
        var resized = MatlabResize.Resize(image, 1.0 / 3);
        Assert.Equal((85, 4, 3), (resized.Height, resized.Width, resized.Channels));
    }

    [Fact]
    public void RejectsNonPositiveScale()
    {
        var image = new ImageBuffer<double>(4, 4, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => MatlabResize.Resize(image, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MatlabResize.Resize(image, double.NaN));
    }

    private static void AssertSameShape<TA, TB>(ImageBuffer<TA> expected, ImageBuffer<TB> actual)
        where TA : unmanaged, System.Numerics.INumber<TA> where TB : unmanaged, System.Numerics.INumber<TB> =>
        Assert.Equal((expected.Height, expected.Width, expected.Channels), (actual.Height, actual.Width, actual.Channels));
}
