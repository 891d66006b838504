using System.Globalization;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>
/// A network whose ReLUs all died outputs its input unchanged (a zero residual) and gets no gradient
/// at all, so training goes on with a finite loss and ends with a model that equals bicubic. This
/// tells that state apart and words the stop.
/// </summary>
public static class ResidualCollapse
{
    /// <summary>
    /// After a backward pass: the output equals the input for every patch of the batch, the output
    /// conv's gradient is all zero and yet the loss is not (a batch already predicted perfectly has
    /// zero gradients too).
    /// </summary>
    public static bool IsDead(Tensor output, Tensor input, Tensor? outputConvGradient, double loss) =>
        loss > 0
        && (outputConvGradient is null || outputConvGradient.count_nonzero().item<long>() == 0)
        && output.equal(input).all().item<bool>();

    /// <summary>The likely cause of a diverged or collapsed run, in words, and the options it names.</summary>
    public static (string Text, string[] Suspects) LikelyCause(TrainingOptions options)
    {
        var inv = CultureInfo.InvariantCulture;
        return options.ClipMode == ClipMode.Adjustable
            ? (string.Create(inv, $"the clipping threshold (theta {options.Clip:G4}, up to theta per weight and step) is too large for this loss, or the learning rate ({options.LearningRate:G4}) too high"),
                [nameof(TrainingOptions.Clip), nameof(TrainingOptions.LearningRate)])
            : (string.Create(inv, $"the learning rate ({options.LearningRate:G4}) is too high or the clipping threshold ({options.Clip:G4}) too large for this loss"),
                [nameof(TrainingOptions.LearningRate), nameof(TrainingOptions.Clip)]);
    }

    /// <summary>The one-line stop, e.g. at "epoch 1 iteration 20/32".</summary>
    public static TrainingDivergedException Collapsed(string where, string whatHappensToWeights, TrainingOptions options)
    {
        var (cause, suspects) = LikelyCause(options);
        return new TrainingDivergedException(
            $"training collapsed: the network outputs its input unchanged for every patch {where} (a zero residual: its ReLUs died and no gradient flows); {whatHappensToWeights}; likely cause: {cause}",
            suspects);
    }
}
