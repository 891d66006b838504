using Vdsr.Core.Model;

namespace Vdsr.Core.Inference;

/// <summary>
/// A VDSR network as tiled inference sees it: one single-channel tile in (Y/255, row-major), the
/// network's raw output (residual added, not clipped) out. Implemented by libtorch and by ONNX Runtime.
/// </summary>
public interface ITileNetwork
{
    VdsrArchitecture Architecture { get; }

    /// <summary>What runs, for the user: e.g. "fp32, winograd" or "onnxruntime int8".</summary>
    string Plan { get; }

    /// <summary>Runs one tile of <paramref name="height"/> x <paramref name="width"/>; fills the first height x width values of <paramref name="output"/>.</summary>
    void Forward(float[] input, int height, int width, float[] output);
}
