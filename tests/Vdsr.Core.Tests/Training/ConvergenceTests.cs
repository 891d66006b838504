using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using Xunit.Abstractions;

namespace Vdsr.Core.Tests.Training;

[Trait("Category", "Slow")] // fuzzing, killed processes, convergence: skip locally with --filter "Category!=Slow"
public class ConvergenceTests(ITestOutputHelper output)
{
    [Fact]
    public void TwoHundredStepsFromScratchLowerTheLoss()
    {
        TorchRuntime.EnsureInitialized();
        // 8 patches of 41x41 at batch 8: one step per epoch, 200 epochs with the original lr, clip and decay.
        using var source = TrainingTestData.Patches(8, 41, seed: 3);
        var options = new TrainingOptions { BatchSize = 8, Epochs = 200, Step = 100, Seed = 3 };
        using var net = Trainer.CreateNetwork(VdsrArchitecture.Uniform(10, 16), options.Seed);
        var losses = new List<double>();
        using var trainer = new Trainer(net, source, options, new TrainerHooks { Progress = new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Loss)) });

        Assert.Equal(TrainingOutcome.Completed, trainer.Run());

        double bicubicLike = SumSquaredDifference(source);
        double first = losses.Take(10).Average(), last = losses.TakeLast(10).Average();
        output.WriteLine($"{losses.Count} steps; mean loss of the first 10 {first:F3}, of the last 10 {last:F3}; input-as-output loss {bicubicLike:F3}");
        Assert.Equal(200, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(last < 0.5 * first, $"loss went from {first} to {last}");
        Assert.True(last < bicubicLike, $"after 200 steps the net ({last}) is no better than returning its input ({bicubicLike})");
    }

    private static double SumSquaredDifference(Vdsr.Core.Data.IPatchBatchSource source)
    {
        double sum = 0;
        foreach (var b in source.Epoch(1, 1000))
            for (int i = 0; i < b.Inputs.Length; i++)
                sum += (double)(b.Inputs[i] - b.Labels[i]) * (b.Inputs[i] - b.Labels[i]);
        return sum;
    }
}
