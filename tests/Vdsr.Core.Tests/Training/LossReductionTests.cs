using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Training;

/// <summary>The three loss reductions scale the gradient, and adjustable clipping clamps it at clip/lr under each.</summary>
public class LossReductionTests
{
    private static readonly VdsrArchitecture Small = VdsrArchitecture.Uniform(4, 6);
    private const int Batch = 3, Size = 11;

    public LossReductionTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(LossReduction.Sum, 1.0)]
    [InlineData(LossReduction.Batch, 1.0 / (2 * Batch))]
    [InlineData(LossReduction.Mean, 1.0 / (Batch * Size * Size))]
    public void GradientIsTheSumReductionsScaledByTheFactor(LossReduction reduction, double factor)
    {
        Assert.Equal(factor, reduction.Factor(Batch, Size * Size), 15);
        // One network for both: the global random generator is shared with tests running in parallel.
        using var net = Trainer.CreateNetwork(Small, seed: 3);
        var sum = Gradients(net, LossReduction.Sum);
        var reduced = Gradients(net, reduction);
        Assert.Equal(sum.Length, reduced.Length);
        for (int layer = 0; layer < sum.Length; layer++)
        {
            double largest = sum[layer].Max(Math.Abs);
            Assert.True(largest > 0, $"layer {layer} has no gradient");
            for (int i = 0; i < sum[layer].Length; i++)
                Assert.True(Math.Abs(reduced[layer][i] - sum[layer][i] * factor) <= 1e-5 * largest * factor,
                    $"layer {layer} element {i}: {reduced[layer][i]} vs {sum[layer][i] * factor}");
        }
    }

    [Theory]
    [InlineData(LossReduction.Sum)]
    [InlineData(LossReduction.Batch)]
    [InlineData(LossReduction.Mean)]
    public void AdjustableClippingClampsEachElementAtClipOverLr(LossReduction reduction)
    {
        using var net = Trainer.CreateNetwork(Small, seed: 3);
        using var scope = NewDisposeScope();
        var (input, label) = Batch3();
        TrainingLoss.Of(net.forward(input), label, reduction).backward();
        var gradients = net.parameters().Select(p => p.grad!).ToArray();
        var before = gradients.Select(g => g.contiguous().data<float>().ToArray()).ToArray();
        // A limit inside the range of this reduction's gradients, so that some elements are clamped and some are not.
        var magnitudes = before.SelectMany(g => g).Select(Math.Abs).Order().ToArray();
        double lr = 0.1, limit = magnitudes[magnitudes.Length / 2], clip = limit * lr;

        GradientClipping.Apply(ClipMode.Adjustable, gradients, clip, lr);

        float bound = (float)(clip / lr);
        int clamped = 0, kept = 0;
        for (int layer = 0; layer < gradients.Length; layer++)
        {
            var after = gradients[layer].contiguous().data<float>().ToArray();
            for (int i = 0; i < after.Length; i++)
            {
                if (Math.Abs(before[layer][i]) > bound)
                {
                    Assert.Equal(Math.Sign(before[layer][i]) * bound, after[i]);
                    clamped++;
                }
                else
                {
                    Assert.Equal(before[layer][i], after[i]);
                    kept++;
                }
            }
        }
        Assert.True(clamped > 0 && kept > 0, $"{clamped} clamped, {kept} kept");
    }

    [Theory]
    [InlineData(LossReduction.Sum)]
    [InlineData(LossReduction.Batch)]
    [InlineData(LossReduction.Mean)]
    public void AnAdjustablyClippedStepMovesNoWeightByMoreThanClip(LossReduction reduction)
    {
        // Without momentum and weight decay, one SGD step moves each weight by lr * g, |g| <= clip/lr: at most clip.
        const double clip = 1e-5;
        var options = new TrainingOptions { BatchSize = Batch, LearningRate = 0.1, Momentum = 0, WeightDecay = 0, ClipMode = ClipMode.Adjustable, Clip = clip, LossReduction = reduction };
        using var source = TrainingTestData.Patches(Batch, Size, 1);
        using var net = Trainer.CreateNetwork(Small, seed: 3);
        var before = net.parameters().Select(p => p.contiguous().data<float>().ToArray()).ToArray();
        using var trainer = new Trainer(net, source, options);
        trainer.Step(source.Epoch(1, Batch, 0).First(), options.LearningRate);
        var moves = net.parameters().Select((p, layer) => p.contiguous().data<float>().ToArray().Select((w, i) => Math.Abs(w - before[layer][i]))).SelectMany(m => m).ToArray();
        Assert.True(moves.Max() <= clip + 1e-7, $"largest move {moves.Max()}");
        Assert.True(moves.Max() >= clip - 1e-7, $"largest move {moves.Max()}: nothing was clamped");
    }

    private static float[][] Gradients(VdsrNet net, LossReduction reduction)
    {
        using var scope = NewDisposeScope();
        foreach (var p in net.parameters()) p.grad?.zero_();
        var (input, label) = Batch3();
        TrainingLoss.Of(net.forward(input), label, reduction).backward();
        return net.parameters().Select(p => p.grad!.contiguous().data<float>().ToArray()).ToArray();
    }

    private static (Tensor Input, Tensor Label) Batch3()
    {
        var (input, label) = TrainingTestData.BlurredPair(Size, Batch * Size);
        return (tensor(input, [Batch, 1, Size, Size]), tensor(label, [Batch, 1, Size, Size]));
    }
}
