using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Model;

/// <summary>The fused conv+ReLU is libtorch's bfloat16 conv2d then relu_, bit for bit, and bf16 inference uses it.</summary>
public class FusedConvReluTests
{
    public FusedConvReluTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void TheBundledLibtorchHasTheFusedOp()
    {
        // Its loss would silently cost the pruned model its speed-up over the dense one.
        Assert.True(FusedConvRelu.IsAvailable, "mkldnn::_convolution_pointwise could not be loaded through TorchScript");
    }

    [Theory]
    [InlineData(1, 64, 64, 17, 23)]
    [InlineData(2, 32, 32, 9, 5)]
    [InlineData(1, 37, 29, 6, 11)] // pruned widths that are no multiple of a vector
    [InlineData(1, 16, 48, 1, 1)]
    public void EqualsBf16Conv2dThenReluBitForBit(int batch, int inChannels, int outChannels, int height, int width)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(11);
        var dtype = ScalarType.BFloat16;
        var x = ChannelsLast.Of(randn(batch, inChannels, height, width, generator: generator).to(dtype));
        var w = ChannelsLast.Of(randn(outChannels, inChannels, 3, 3, generator: generator).mul_(0.1).to(dtype));
        var expected = nn.functional.conv2d(x, w, padding: [1, 1]).relu_();
        var actual = FusedConvRelu.Forward(x, w);
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(dtype, actual.dtype);
        Assert.Equal(expected.stride(), actual.stride()); // channels-last in, channels-last out
        Assert.True(actual.ge(0).all().item<bool>(), "a negative value passed the ReLU");
        Assert.True(actual.lt(0.01).any().item<bool>() && actual.gt(0.01).any().item<bool>(), "the test needs both signs before the ReLU");
        Assert.True(expected.equal(actual).all().item<bool>(), $"max difference {(expected.to(ScalarType.Float32) - actual.to(ScalarType.Float32)).abs().max().item<float>()}");
    }

    [Theory]
    [InlineData(ConvPrecision.Fp32)] // does not use it: unchanged
    [InlineData(ConvPrecision.Bf16)]
    public void InferenceWithTheFusedOpEqualsTheConvsAndReLUsApart(ConvPrecision precision)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var net = new VdsrNet(VdsrArchitecture.Uniform(6, 24), plan: ConvPlan.Direct(precision));
        net.ResetParameters(seed: 3);
        net.eval();
        var x = rand(1, 1, 21, 17, generator: new Generator(5));
        var fused = net.forward(x);
        Tensor apart;
        FusedConvRelu.Enabled = false;
        try { apart = net.forward(x); }
        finally { FusedConvRelu.Enabled = true; }
        Assert.True(fused.equal(apart).all().item<bool>(), $"max difference {(fused - apart).abs().max().item<float>()}");
    }
}
