using Vdsr.Core.Imaging;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Inference;

/// <summary>
/// The VDSR data flow for a colour image: RGB -> YCbCr (MATLAB) -> bicubic x scale -> network on
/// Y (tiled) -> Y with the bicubic Cb/Cr -> RGB. Alpha, when present, is upscaled bicubically.
/// </summary>
public sealed class Upscaler
{
    private readonly TiledInference _inference;

    public Upscaler(VdsrNet net, Device device, TilingOptions? tiling = null)
        : this(new TorchTileNetwork(net, device), tiling)
    {
    }

    public Upscaler(ITileNetwork network, TilingOptions? tiling = null)
    {
        _inference = new TiledInference(network, tiling);
    }

    public TiledInference Inference => _inference;

    /// <summary>What the network runs, e.g. "fp32, winograd".</summary>
    public string Plan => _inference.Plan;

    /// <summary>
    /// Network output for a bicubic Y plane in 0..255 units (as eval.py: input Y/255 as float32,
    /// output x255 clipped to [0, 255]).
    /// </summary>
    public ImageBuffer<double> EnhanceY(ImageBuffer<double> bicubicY255, Action<int, int>? tileDone = null)
    {
        if (bicubicY255.Channels != 1) throw new ArgumentException("expected a single-channel Y image");
        var input = new float[bicubicY255.Data.Length];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(bicubicY255.Data[i] / 255.0);
        var raw = _inference.Run(input, bicubicY255.Height, bicubicY255.Width, tileDone);
        var result = new ImageBuffer<double>(bicubicY255.Height, bicubicY255.Width, 1);
        for (int i = 0; i < raw.Length; i++) result.Data[i] = Math.Clamp(raw[i] * 255.0, 0.0, 255.0);
        return result;
    }

    /// <summary>
    /// Enlarges <paramref name="rgb"/> by an integer factor; returns the VDSR image and, when
    /// <paramref name="withBicubic"/>, the bicubic one. Works in place on one full-size YCbCr
    /// image of doubles: with the network input, the RGB results and the resize's intermediate,
    /// memory is about 40-60 bytes per output pixel beyond the network's tiles.
    /// </summary>
    public UpscaleResult Upscale(ImageBuffer<byte> rgb, ImageBuffer<byte>? alpha, int scale, bool withBicubic = true, Action<int, int>? tileDone = null)
    {
        if (scale < 1) throw new VdsrUserException($"scale must be a positive integer (got {scale})");
        var ycbcr = MatlabResize.Resize(ColorSpace.RgbToYCbCr(ColorSpace.ToUnitRange(rgb)), scale);
        var bicubicRgb = withBicubic ? ColorSpace.YCbCrToRgbBytes(ycbcr) : null;

        var y = new float[ycbcr.PixelCount];
        for (int i = 0; i < y.Length; i++) y[i] = (float)ycbcr.Data[3 * i]; // network input: Y/255 as float32
        var raw = _inference.Run(y, ycbcr.Height, ycbcr.Width, tileDone);
        for (int i = 0; i < raw.Length; i++) ycbcr.Data[3 * i] = Math.Clamp(raw[i] * 255.0, 0.0, 255.0) / 255.0;

        var alphaUp = alpha is null ? null : MatlabResize.Resize(alpha, scale);
        return new UpscaleResult(bicubicRgb, ColorSpace.YCbCrToRgbBytes(ycbcr), alphaUp);
    }
}

/// <summary>The VDSR (and, when asked for, bicubic) enlargements of one image (RGB), and the enlarged alpha if any.</summary>
public sealed record UpscaleResult(ImageBuffer<byte>? Bicubic, ImageBuffer<byte> Vdsr, ImageBuffer<byte>? Alpha);
