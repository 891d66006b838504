using static TorchSharp.torch;

namespace Vdsr.Core.Model;

/// <summary>
/// VDSR's first (1->C) and last (C->1) padded 3x3 convs for inference, as matrix products.
/// oneDNN runs the C->1 conv at about 15 GFLOP/s (5 ms of a 350 ms 256x256 forward; 3% of a bf16
/// one), and runs the 1->C conv with an NCHW output that the next conv must first convert to
/// channels-last (libtorch cannot tell a one-channel image's layout from its strides).
/// </summary>
public static class GemmConv
{
    /// <summary>
    /// [N, 1, H, W] * [C, 1, 3, 3] -> [N, C, H, W] with channels-last memory: the nine shifted
    /// copies of the image (im2col, [N, HW, 9]) times the weights as a [9, C] matrix.
    /// </summary>
    public static Tensor SingleInput(Tensor x, Tensor w)
    {
        long n = x.shape[0], h = x.shape[2], width = x.shape[3], c = w.shape[0];
        using var scope = NewDisposeScope();
        var columns = nn.functional.unfold(x, 3, padding: 1).transpose(1, 2); // [N, HW, 9]
        var weights = w.reshape(c, 9).t();                                    // [9, C]
        var y = columns.matmul(weights).view(n, h, width, c).permute(0, 3, 1, 2);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [N, C, H, W] (any layout) * [O, C, 3, 3] -> [N, O, H, W] for few outputs: with
    /// P = X[HW, C] x W[C, 9 * O], output pixel (i, j) is the sum over the nine taps (dy, dx) of P
    /// at (i + dy - 1, j + dx - 1).
    /// </summary>
    public static Tensor SingleOutput(Tensor x, Tensor w)
    {
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], width = x.shape[3], o = w.shape[0];
        using var scope = NewDisposeScope();
        var weights = w.permute(1, 2, 3, 0).reshape(c, 9 * o);                // column (dy*3+dx)*O + o
        var taps = x.permute(0, 2, 3, 1).matmul(weights);                     // [N, H, W, 9*O]
        var planes = taps.reshape(n, h, width, 9 * o).permute(0, 3, 1, 2);
        var padded = nn.functional.pad(planes, [1, 1, 1, 1]).reshape(n, 9, o, h + 2, width + 2);
        var y = padded.select(1, 0).narrow(2, 0, h).narrow(3, 0, width).clone();
        for (int k = 1; k < 9; k++)
            y.add_(padded.select(1, k).narrow(2, k / 3, h).narrow(3, k % 3, width));
        return y.MoveToOuterDisposeScope();
    }
}
