using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Training;

public class GradientClippingTests
{
    public GradientClippingTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void NormModeScalesAllGradientsByClipOverGlobalNorm()
    {
        using var a = tensor(new float[] { 3, 4 });
        using var b = tensor(new float[] { 12 });
        double norm = GradientClipping.ClipByGlobalNorm([a, b], 0.4);
        Assert.Equal(13, norm, 5);
        double scale = 0.4 / (13 + 1e-6);
        Assert.Equal(new[] { (float)(3 * scale), (float)(4 * scale) }, a.data<float>().ToArray());
        Assert.Equal(new[] { (float)(12 * scale) }, b.data<float>().ToArray());
    }

    [Fact]
    public void NormModeLeavesSmallGradientsAlone()
    {
        using var a = tensor(new float[] { 0.1f, -0.2f });
        double norm = GradientClipping.Apply(ClipMode.Norm, [a], 0.4, 0.1);
        Assert.Equal(Math.Sqrt(0.05), norm, 6);
        Assert.Equal(new[] { 0.1f, -0.2f }, a.data<float>().ToArray());
    }

    [Fact]
    public void AdjustableModeClampsEachElementToClipOverLr()
    {
        using var a = tensor(new float[] { 5, -5, 3.9f, -0.5f });
        double norm = GradientClipping.Apply(ClipMode.Adjustable, [a], 0.4, 0.1); // limit 4
        Assert.Equal(Math.Sqrt(25 + 25 + 3.9 * 3.9 + 0.25), norm, 4);
        Assert.Equal(new[] { 4f, -4f, 3.9f, -0.5f }, a.data<float>().ToArray());
    }
}
