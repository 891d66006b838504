using Vdsr.Core.Model;
using Vdsr.Core.Runtime;

namespace Vdsr.Core.Tests.Runtime;

public class CpuFeaturesTests
{
    private const string Zen5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9R45\nflags\t\t: fpu sse2 avx2 fma avx512f avx512_bf16 avx512_vnni\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 9R45\nflags\t\t: fpu\n";
    private const string Avx2Only = "model name\t: Intel(R) Xeon(R) CPU E5-2686 v4\nflags\t\t: fpu sse2 avx2 fma\n";

    [Fact]
    public void ReadsTheFirstProcessorsModelAndFlags()
    {
        var (model, flags) = CpuFeatures.Parse(Zen5);
        Assert.Equal("AMD EPYC 9R45", model);
        Assert.Contains("avx512_bf16", flags);
        Assert.True(CpuFeatures.HasNativeBf16In(flags));
    }

    [Fact]
    public void Avx2OnlyHasNoNativeBf16()
    {
        var (_, flags) = CpuFeatures.Parse(Avx2Only);
        Assert.Contains("avx2", flags);
        Assert.False(CpuFeatures.HasNativeBf16In(flags));
        Assert.True(CpuFeatures.HasNativeBf16In(new HashSet<string> { "amx_bf16" }));
    }

    [Fact]
    public void AutoPicksBf16OnlyWithNativeSupport()
    {
        Assert.Equal(ConvPrecision.Bf16, PrecisionRequest.Auto.Resolve(nativeBf16: true));
        Assert.Equal(ConvPrecision.Fp32, PrecisionRequest.Auto.Resolve(nativeBf16: false));
        Assert.Equal(ConvPrecision.Bf16, PrecisionRequest.Bf16.Resolve(nativeBf16: false));
        Assert.Equal(ConvPrecision.Fp32, PrecisionRequest.Fp32.Resolve(nativeBf16: true));
    }

    [Theory]
    [InlineData("fp32", PrecisionRequest.Fp32)]
    [InlineData("BF16", PrecisionRequest.Bf16)]
    [InlineData(" auto ", PrecisionRequest.Auto)]
    [InlineData("fp16", null)]
    [InlineData("", null)]
    public void ParsesPrecisionNames(string text, PrecisionRequest? expected) =>
        Assert.Equal(expected, PrecisionChoice.Parse(text));
}
