using Vdsr.Core.Model;

namespace Vdsr.Core.Training;

/// <summary>
/// A named set of training options (`--recipe`); flags given on the command line override it. The
/// precision is a request (auto: bf16 where the CPU computes it natively) resolved by the caller.
/// </summary>
public sealed record TrainingRecipe(string Name, TrainingOptions Options, PrecisionRequest Precision, string Summary);

public static class TrainingRecipes
{
    /// <summary>main_vdsr.py's defaults: batch 128, lr 0.1 decayed x0.1 every 10 epochs of 50, sum loss, global-norm clip 0.4.</summary>
    public static readonly TrainingRecipe Original = new("original", new TrainingOptions { Recipe = "original" }, PrecisionRequest.Fp32,
        "main_vdsr.py's defaults");

    /// <summary>
    /// The paper (Kim et al. 2016, section 4.1 and 3.3): batch 64, lr 0.1 decayed x0.1 every 20 epochs
    /// of 80, momentum 0.9, weight decay 1e-4, adjustable clipping of each gradient to
    /// [-theta/lr, theta/lr] on Caffe's Euclidean loss (sum / 2N). The paper gives no theta; with this
    /// loss nearly every element is clamped, so each step moves every weight by up to theta (times 10 with
    /// momentum): 0.01 diverges within ten steps, 0.001 and 3e-4 stay at bicubic, 1e-4 and 3e-5 learn,
    /// 3e-5 the most steadily (measured on held-out images, README: Training recipes).
    /// </summary>
    public static readonly TrainingRecipe Paper = new("paper", new TrainingOptions
    {
        Recipe = "paper",
        BatchSize = 64,
        LearningRate = 0.1,
        Step = 20,
        Epochs = 80,
        Momentum = 0.9,
        WeightDecay = 1e-4,
        ClipMode = ClipMode.Adjustable,
        Clip = PaperTheta,
        LossReduction = LossReduction.Batch,
    }, PrecisionRequest.Fp32, "the paper's settings");

    public const double PaperTheta = 3e-5;

    /// <summary>The best Set5 in a fixed CPU budget, found by measurement (README: Training recipes).</summary>
    public static readonly TrainingRecipe Fast = new("fast", new TrainingOptions
    {
        Recipe = "fast",
        BatchSize = 16,
        Optimizer = OptimizerKind.Adam,
        LearningRate = 1e-3,
        WarmupSteps = 200,
        LossReduction = LossReduction.Mean,
        ClipMode = ClipMode.Norm,
        Clip = 0.4,
        WeightDecay = 0,
        Momentum = 0.9,
        Step = 10,
        Epochs = 50,
    }, PrecisionRequest.Auto, "the best Set5 in a fixed CPU budget");

    public static IReadOnlyList<TrainingRecipe> All { get; } = [Original, Paper, Fast];

    public static TrainingRecipe? Find(string name) => All.FirstOrDefault(r => string.Equals(r.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
