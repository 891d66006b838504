using TorchSharp;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>The two ways of limiting gradients, applied in place to the given gradient tensors.</summary>
public static class GradientClipping
{
    /// <summary>PyTorch's clip_grad_norm: the epsilon keeps the scale finite when the norm is zero.</summary>
    public const double NormEpsilon = 1e-6;

    /// <summary>Global L2 norm over all tensors, accumulated as PyTorch does (norm of the per-tensor norms).</summary>
    public static double GlobalNorm(IReadOnlyList<Tensor> gradients)
    {
        using var scope = NewDisposeScope();
        var norms = gradients.Select(g => g.detach().norm()).ToArray();
        return stack(norms).norm().item<float>();
    }

    /// <summary>Scales all gradients by clip/(norm+1e-6) when that is below 1. Returns the norm before clipping.</summary>
    public static double ClipByGlobalNorm(IReadOnlyList<Tensor> gradients, double maxNorm)
    {
        double norm = GlobalNorm(gradients);
        double scale = maxNorm / (norm + NormEpsilon);
        if (scale < 1)
        {
            using var _ = no_grad();
            foreach (var g in gradients) g.mul_(scale);
        }
        return norm;
    }

    /// <summary>Clamps every element to [-clip/lr, clip/lr]. Returns the global norm before clamping.</summary>
    public static double ClampElements(IReadOnlyList<Tensor> gradients, double clip, double learningRate)
    {
        double norm = GlobalNorm(gradients);
        double limit = clip / learningRate;
        using var _ = no_grad();
        foreach (var g in gradients) g.clamp_(-limit, limit);
        return norm;
    }

    public static double Apply(ClipMode mode, IReadOnlyList<Tensor> gradients, double clip, double learningRate) => mode switch
    {
        ClipMode.Norm => ClipByGlobalNorm(gradients, clip),
        ClipMode.Adjustable => ClampElements(gradients, clip, learningRate),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
