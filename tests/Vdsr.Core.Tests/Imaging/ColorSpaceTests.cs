using Vdsr.Core.Imaging;

namespace Vdsr.Core.Tests.Imaging;

public class ColorSpaceTests
{
    // rgb2ycbcr_f64.npy / ycbcr2rgb_f64.npy: the NumPy reference of MATLAB rgb2ycbcr / ycbcr2rgb
    // applied once to resize_input_f64.npy.
    [Fact]
    public void DoubleRgbToYCbCrMatchesReference()
    {
        var input = Npy.ReadDouble(TestPaths.Fixture("imaging", "resize_input_f64.npy")).ToImageDouble();
        var expected = Npy.ReadDouble(TestPaths.Fixture("imaging", "rgb2ycbcr_f64.npy")).ToImageDouble();
        Assert.Equal(expected.Data, ColorSpace.RgbToYCbCr(input).Data);
    }

    [Fact]
    public void YCbCrToRgbBytesMatchesReference()
    {
        // The reference's double ycbcr2rgb, then im2uint8: the same bytes.
        var input = Npy.ReadDouble(TestPaths.Fixture("imaging", "resize_input_f64.npy")).ToImageDouble();
        var expected = Npy.ReadDouble(TestPaths.Fixture("imaging", "ycbcr2rgb_f64.npy")).ToImageDouble();
        Assert.Equal(ColorSpace.ToBytes(expected).Data, ColorSpace.YCbCrToRgbBytes(input).Data);
    }

    [Fact]
    public void LumaIsTheYPlaneOfTheFullConversion()
    {
        var rgb = Npy.ReadDouble(TestPaths.Fixture("imaging", "resize_input_f64.npy")).ToImageDouble();
        Assert.Equal(ColorSpace.RgbToYCbCr(rgb).Channel(0).Data, ColorSpace.Luma(rgb).Data);
    }

    [Fact]
    public void ByteRoundTripIsTheIdentity()
    {
        var bytes = new byte[3 * 4096];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i * 37 % 256);
        var rgb = new ImageBuffer<byte>(64, 64, 3, bytes);
        Assert.Equal(bytes, ColorSpace.YCbCrToRgbBytes(ColorSpace.RgbToYCbCr(ColorSpace.ToUnitRange(rgb))).Data);
    }

    [Theory]
    [InlineData(0, 0, 0, 16.0 / 255, 128.0 / 255, 128.0 / 255)]
    [InlineData(1, 1, 1, 235.0 / 255, 128.0 / 255, 128.0 / 255)]
    [InlineData(1, 0, 0, (16 + 65.481) / 255, (128 - 37.797) / 255, (128 + 112.0) / 255)]
    public void DoubleKnownValues(double r, double g, double b, double y, double cb, double cr)
    {
        var rgb = new ImageBuffer<double>(1, 1, 3, [r, g, b]);
        var ycc = ColorSpace.RgbToYCbCr(rgb).Data;
        Assert.Equal(y, ycc[0], 1e-14);
        Assert.Equal(cb, ycc[1], 1e-14);
        Assert.Equal(cr, ycc[2], 1e-14);
    }

    [Theory]
    [InlineData(0, 0, 0, 16)]
    [InlineData(255, 255, 255, 235)]
    [InlineData(255, 0, 0, 81)]
    [InlineData(0, 255, 0, 145)]
    [InlineData(0, 0, 255, 41)]
    public void ByteLumaKnownValues(byte r, byte g, byte b, byte y)
    {
        Assert.Equal(new[] { y }, ColorSpace.Luma(new ImageBuffer<byte>(1, 1, 3, [r, g, b])).Data);
    }

    [Fact]
    public void ByteLumaUsesMatlabCoefficientScaling()
    {
        // Over all grays and a sweep of colours, Y must equal round(fl(1/255)*65.481*R + ... + 16)
        // evaluated with MATLAB's coefficient products, which differs from (65.481*R + ...)/255 + 16 in places.
        var pixels = new List<byte>();
        for (int r = 0; r < 256; r += 5)
            for (int g = 0; g < 256; g += 7)
                for (int b = 0; b < 256; b += 11)
                    pixels.AddRange([(byte)r, (byte)g, (byte)b]);
        var rgb = new ImageBuffer<byte>(1, pixels.Count / 3, 3, pixels.ToArray());
        var luma = ColorSpace.Luma(rgb).Data;
        const double c = 1.0 / 255.0;
        for (int i = 0; i < rgb.Data.Length; i += 3)
        {
            double y = (c * 65.481) * rgb.Data[i] + (c * 128.553) * rgb.Data[i + 1] + (c * 24.966) * rgb.Data[i + 2] + 16.0;
            Assert.Equal((byte)Math.Floor(y + 0.5), luma[i / 3]);
        }
    }

    [Fact]
    public void UnitRangeConversionsRoundTripEveryByte()
    {
        var bytes = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
        var image = new ImageBuffer<byte>(1, 256, 1, bytes);
        var unit = ColorSpace.ToUnitRange(image);
        Assert.Equal(1.0, unit.Data[255]);
        Assert.Equal(128 / 255.0, unit.Data[128]);
        Assert.Equal(bytes, ColorSpace.ToBytes(unit).Data);
    }

    [Theory]
    [InlineData(-0.2, 0)]
    [InlineData(1.7, 255)]
    [InlineData(double.NaN, 0)]
    [InlineData(0.5 / 255, 1)]
    [InlineData(2.5 / 255, 3)]
    public void ToBytesRoundsHalfAwayAndSaturates(double value, byte expected)
    {
        Assert.Equal(expected, ColorSpace.ToBytes(new ImageBuffer<double>(1, 1, 1, [value])).Data[0]);
    }

    [Fact]
    public void YCbCrToRgbBytesSaturates()
    {
        var ycbcr = new ImageBuffer<double>(1, 2, 3, [1.5, 0.5, 0.5, -0.5, 0.5, 0.5]);
        Assert.Equal(new byte[] { 255, 255, 255, 0, 0, 0 }, ColorSpace.YCbCrToRgbBytes(ycbcr).Data);
    }
}
