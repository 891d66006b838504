using Vdsr.Core.Imaging;
using Vdsr.Core.Inference;
using Vdsr.Core.Training;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Inference;

/// <summary>The colour data flow around the network, with a small seeded network.</summary>
public sealed class UpscalerTests : IDisposable
{
    private readonly VdsrNet _net = Trainer.CreateNetwork(VdsrArchitecture.Uniform(4, 8), seed: 11);

    public void Dispose() => _net.Dispose();

    private static ImageBuffer<byte> Picture(int height, int width)
    {
        var rgb = new ImageBuffer<byte>(height, width, 3);
        for (int i = 0; i < rgb.Data.Length; i++) rgb.Data[i] = (byte)(i * 53 % 256);
        return rgb;
    }

    [Fact]
    public void VdsrReplacesOnlyTheLumaOfTheBicubicEnlargement()
    {
        var rgb = Picture(9, 11);
        var result = new Upscaler(_net, CPU).Upscale(rgb, alpha: null, scale: 3);

        var ycbcr = MatlabResize.Resize(ColorSpace.RgbToYCbCr(ColorSpace.ToUnitRange(rgb)), 3);
        Assert.Equal(ColorSpace.YCbCrToRgbBytes(ycbcr).Data, result.Bicubic!.Data);

        // The network sees Y in [0,1] as float32; its output x255, clipped, replaces Y.
        var y = new float[ycbcr.PixelCount];
        for (int i = 0; i < y.Length; i++) y[i] = (float)ycbcr.Data[3 * i];
        var raw = new TiledInference(new TorchTileNetwork(_net, CPU)).Run(y, ycbcr.Height, ycbcr.Width);
        for (int i = 0; i < y.Length; i++) ycbcr.Data[3 * i] = Math.Clamp(raw[i] * 255.0, 0.0, 255.0) / 255.0;
        Assert.Equal(ColorSpace.YCbCrToRgbBytes(ycbcr).Data, result.Vdsr.Data);
        Assert.Null(result.Alpha);
    }

    [Fact]
    public void AlphaIsEnlargedBicubicallyAndBicubicIsOptional()
    {
        var alpha = new ImageBuffer<byte>(6, 5, 1);
        for (int i = 0; i < alpha.Data.Length; i++) alpha.Data[i] = (byte)(i * 8);
        var result = new Upscaler(_net, CPU).Upscale(Picture(6, 5), alpha, scale: 2, withBicubic: false);
        Assert.Null(result.Bicubic);
        Assert.Equal((12, 10, 3), (result.Vdsr.Height, result.Vdsr.Width, result.Vdsr.Channels));
        Assert.Equal(MatlabResize.Resize(alpha, 2).Data, result.Alpha!.Data);
    }

    [Fact]
    public void EnhanceYClipsTo0To255()
    {
        // With every weight zero the network adds no residual, so the output is the input:
        // values beyond 0..255 must come back clipped.
        using (TorchSharp.torch.no_grad())
            for (int layer = 0; layer < _net.Architecture.Depth; layer++) _net.LayerWeight(layer).zero_();
        var y = new ImageBuffer<double>(4, 4, 1, [-40, 0, 10, 100, 200, 255, 300, 1000, 50, 60, 70, 80, 90, 110, 120, 130]);
        var enhanced = new Upscaler(_net, CPU).EnhanceY(y);
        Assert.Equal([0, 0, 10, 100, 200, 255, 255, 255], enhanced.Data[..8].Select(v => Math.Round(v, 3)));
    }
}
