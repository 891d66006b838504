using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Model;

/// <summary>The SIMD first and last convs equal libtorch's conv2d (with the ReLU and the residual they fuse).</summary>
public class EdgeConvsTests
{
    public EdgeConvsTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(1, 17, 23, 64)]
    [InlineData(2, 9, 5, 8)]
    [InlineData(1, 1, 1, 32)]
    [InlineData(2, 6, 11, 37)] // a pruned width that is no multiple of the vector: the tail is stored apart
    [InlineData(1, 4, 3, 3)]
    public void FirstWithReluEqualsConv2dThenRelu(int batch, int height, int width, int channels)
    {
        Assert.True(EdgeConvs.IsAccelerated, "these CPUs all have 256-bit vectors");
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var x = rand(batch, 1, height, width, generator: generator);
        var w = randn(channels, 1, 3, 3, generator: generator);
        var expected = nn.functional.relu(nn.functional.conv2d(x, w, padding: [1, 1]));
        var actual = EdgeConvs.FirstWithRelu(x, w);
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(new long[] { (long)height * width * channels, 1, (long)width * channels, channels }, actual.stride());
        AssertClose(expected, actual, terms: 9);
    }

    [Theory]
    [InlineData(1, 17, 23, 64)]
    [InlineData(2, 6, 11, 37)] // the tail past the last full vector is rounded one by one
    [InlineData(1, 4, 3, 3)]
    public void FirstWithReluInBf16IsItsFloat32OutputCastByLibtorch(int batch, int height, int width, int channels)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(9);
        var x = rand(batch, 1, height, width, generator: generator);
        x[0, 0, 0, 0] = tensor(float.NaN); // a NaN becomes the NaN libtorch's cast gives, not another one or an infinity
        var w = randn(channels, 1, 3, 3, generator: generator);
        var expected = EdgeConvs.FirstWithRelu(x, w).to(ScalarType.BFloat16);
        var actual = EdgeConvs.FirstWithRelu(x, w, ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        Assert.Equal(expected.stride(), actual.stride());
        // Same strides, both dense: as NHWC views they are contiguous, and their bytes are the bits.
        using var expectedNhwc = expected.permute(0, 2, 3, 1);
        using var actualNhwc = actual.permute(0, 2, 3, 1);
        var e = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(expectedNhwc.bytes);
        var a = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(actualNhwc.bytes);
        int first = e.CommonPrefixLength(a);
        Assert.True(first == e.Length, first == e.Length ? "" : $"the bf16 bits differ from libtorch's cast at {first}: {e[first]:X4} vs {a[first]:X4}");
    }

    [Fact]
    public void FirstWithReluInBf16RoundsTiesToEven()
    {
        using var scope = NewDisposeScope();
        // Only the centre tap: every output pixel is its channel's weight. 1 + 2^-8 lies halfway
        // between two bfloat16 values (7 mantissa bits) and goes down to 1; 1 + 3 x 2^-8 goes up.
        float[] values = [1 + 1f / 256, 1 + 3f / 256, 2 + 2f / 256, 0.1f, 3.3f, 1 + 1f / 256 + 1f / 65536, 0, 1e-30f];
        var w = zeros(values.Length, 1, 3, 3);
        w[.., 0, 1, 1] = tensor(values);
        var actual = EdgeConvs.FirstWithRelu(ones(1, 1, 2, 2), w, ScalarType.BFloat16);
        var expected = tensor(values).to(ScalarType.BFloat16);
        for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            Assert.True(expected.to(ScalarType.Float32).equal(actual[0, .., i, j].to(ScalarType.Float32)).all().item<bool>(), $"pixel ({i}, {j})"); // bf16 widens exactly
        Assert.Equal(1f, actual[0, 0, 0, 0].to(ScalarType.Float32).item<float>());
        Assert.Equal(1 + 2f / 128, actual[0, 1, 0, 0].to(ScalarType.Float32).item<float>());
    }

    [Theory]
    [InlineData(1, 64, 19, 13, false)]
    [InlineData(2, 32, 6, 11, false)]
    [InlineData(1, 37, 5, 4, false)]   // 2 x 16 + 5: pair loop, scalar tail
    [InlineData(1, 24, 7, 9, false)]   // 16 + 8: pair loop, single-vector loop
    [InlineData(2, 3, 1, 1, false)]    // one pixel: every neighbour is padding
    [InlineData(1, 32, 12, 10, true)]
    [InlineData(2, 45, 5, 6, true)]
    public void LastPlusResidualEqualsConv2dPlusTheImage(int batch, int channels, int height, int width, bool bf16)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var hidden = ChannelsLast.Of(rand(batch, channels, height, width, generator: generator));
        if (bf16) hidden = hidden.to(ScalarType.BFloat16);
        var w = randn(1, channels, 3, 3, generator: generator);
        var image = rand(batch, 1, height, width, generator: generator);
        // bfloat16 widens to float32 exactly, so the float32 conv of the widened values is the reference
        var expected = nn.functional.conv2d(hidden.to(ScalarType.Float32), w, padding: [1, 1]) + image;
        var actual = EdgeConvs.LastPlusResidual(hidden, w, image);
        Assert.Equal(expected.shape, actual.shape);
        AssertClose(expected, actual, terms: 9 * channels);
    }

    [Fact]
    public void LastReadsAnNchwActivationToo()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var hidden = rand(1, 16, 8, 8, generator: generator); // NCHW: gathered into channels-last first
        var w = randn(1, 16, 3, 3, generator: generator);
        var image = zeros(1, 1, 8, 8);
        AssertClose(nn.functional.conv2d(hidden, w, padding: [1, 1]), EdgeConvs.LastPlusResidual(hidden, w, image), terms: 144);
    }

    [Fact]
    public void RefusesShapesItDoesNotCompute()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => EdgeConvs.FirstWithRelu(rand(1, 2, 4, 4), randn(8, 2, 3, 3)));
        Assert.Throws<ArgumentException>(() => EdgeConvs.LastPlusResidual(rand(1, 8, 4, 4), randn(2, 8, 3, 3), rand(1, 1, 4, 4)));
        Assert.Throws<ArgumentException>(() => EdgeConvs.LastPlusResidual(rand(1, 8, 4, 4), randn(1, 8, 3, 3), rand(1, 1, 4, 5)));
    }

    /// <summary>Float32 sums of <paramref name="terms"/> products in another order: a few units in the last place of each term.</summary>
    private static void AssertClose(Tensor expected, Tensor actual, int terms)
    {
        double scale = Math.Max(1.0, expected.abs().max().item<float>());
        double diff = (actual - expected).abs().max().item<float>();
        Assert.True(diff <= 1e-6 * scale * Math.Sqrt(terms) * 4, $"max |diff| {diff:E3} for values up to {scale:F3} ({terms} terms)");
    }
}
