using static TorchSharp.torch;

namespace Vdsr.Core.Model;

/// <summary>
/// NHWC memory for an NCHW-shaped tensor. TorchSharp has no memory-format argument, but libtorch
/// picks its channels-last kernels from the strides alone.
/// </summary>
public static class ChannelsLast
{
    /// <summary>The same values with NHWC memory, still shaped [N, C, H, W] (no copy when the memory already is NHWC).</summary>
    public static Tensor Of(Tensor t)
    {
        using var nhwc = t.permute(0, 2, 3, 1);
        using var packed = nhwc.contiguous();
        return packed.permute(0, 3, 1, 2);
    }
}
