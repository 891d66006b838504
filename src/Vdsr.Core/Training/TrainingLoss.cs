using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>The training objective: the summed squared error of a batch [N, 1, H, W], times the reduction's factor.</summary>
public static class TrainingLoss
{
    public static Tensor Of(Tensor output, Tensor label, LossReduction reduction)
    {
        var sum = nn.functional.mse_loss(output, label, nn.Reduction.Sum);
        double factor = reduction.Factor(output.shape[0], output.shape[^1] * output.shape[^2]);
        return factor == 1 ? sum : sum.mul(factor);
    }
}
