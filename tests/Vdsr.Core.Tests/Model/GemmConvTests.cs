using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Model;

/// <summary>The matrix-product forms of the first and last conv equal libtorch's conv2d.</summary>
public class GemmConvTests
{
    public GemmConvTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(1, 1, 17, 23, 64)]
    [InlineData(2, 1, 9, 5, 8)]
    [InlineData(1, 64, 19, 13, 1)]
    [InlineData(2, 32, 6, 11, 1)]
    [InlineData(1, 16, 7, 7, 3)]
    public void EqualsConv2d(int batch, int inChannels, int height, int width, int outChannels)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(42);
        var x = rand(batch, inChannels, height, width, generator: generator);
        var w = randn(outChannels, inChannels, 3, 3, generator: generator);
        var expected = nn.functional.conv2d(x, w, padding: [1, 1]);
        var actual = inChannels == 1 ? GemmConv.SingleInput(x, w) : GemmConv.SingleOutput(x, w);
        Assert.Equal(expected.shape, actual.shape);
        double scale = expected.abs().max().item<float>();
        double diff = (actual - expected).abs().max().item<float>();
        Assert.True(diff <= 1e-6 * scale * inChannels, $"max |diff| {diff:E3} for values up to {scale:F3}");
    }

    [Fact]
    public void SingleInputLeavesChannelsLastMemory()
    {
        // The next conv then reads NHWC directly instead of converting a whole activation.
        using var scope = NewDisposeScope();
        var y = GemmConv.SingleInput(rand(1, 1, 8, 10), randn(64, 1, 3, 3));
        Assert.Equal(new long[] { 8 * 10 * 64, 1, 10 * 64, 64 }, y.stride());
    }
}
