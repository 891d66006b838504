using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Training;

/// <summary>
/// A run whose network collapses to the identity (all ReLUs dead: zero residual, zero gradients)
/// stops with one line naming the likely cause instead of finishing with a bicubic model.
/// </summary>
public class ResidualCollapseTests
{
    public ResidualCollapseTests() => TorchRuntime.EnsureInitialized();

    private static readonly VdsrArchitecture Narrow = VdsrArchitecture.Uniform(4, 8);

    /// <summary>A first layer of negative weights on inputs in [0, 1]: every ReLU after it is zero.</summary>
    private static void Kill(VdsrNet net)
    {
        using var _ = no_grad();
        net.LayerWeight(0).abs_().neg_();
    }

    [Fact]
    public void DeadNetworkStopsAtTheFirstStepNamingTheClippingThreshold()
    {
        using var source = TrainingTestData.Patches(6, 13, seed: 1);
        using var net = Trainer.CreateNetwork(Narrow, 1);
        Kill(net);
        var options = new TrainingOptions { BatchSize = 3, Epochs = 2, ClipMode = ClipMode.Adjustable, Clip = 0.01, LossReduction = LossReduction.Batch };
        var checkpoints = new List<TrainingCheckpoint>();
        using var trainer = new Trainer(net, source, options, new TrainerHooks { CheckpointReady = checkpoints.Add });
        var before = net.LayerWeight(1).data<float>().ToArray();

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("training collapsed", e.Message);
        Assert.Contains("at epoch 1 iteration 1/2", e.Message);
        Assert.Contains("the clipping threshold (theta 0.01", e.Message);
        Assert.DoesNotContain("--", e.Message);
        Assert.Equal([nameof(TrainingOptions.Clip), nameof(TrainingOptions.LearningRate)], e.Suspects);
        Assert.Empty(checkpoints);
        Assert.Equal(before, net.LayerWeight(1).data<float>().ToArray()); // the step was not applied (weight decay would move it)
    }

    [Fact]
    public void NormClippingNamesTheLearningRateFirst()
    {
        using var source = TrainingTestData.Patches(6, 13, seed: 1);
        using var net = Trainer.CreateNetwork(Narrow, 1);
        Kill(net);
        using var trainer = new Trainer(net, source, new TrainingOptions { BatchSize = 3, Epochs = 1 });
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Contains("likely cause: the learning rate (0.1) is too high", e.Message);
        Assert.Equal(nameof(TrainingOptions.LearningRate), e.Suspects[0]);
    }

    [Fact]
    public void NetworkThatDiesInTheLastStepOfAnEpochKeepsTheLastGoodCheckpoint()
    {
        using var source = TrainingTestData.Patches(6, 13, seed: 1);
        using var net = Trainer.CreateNetwork(Narrow, 1);
        var checkpoints = new List<TrainingCheckpoint>();
        using var trainer = new Trainer(net, source, new TrainingOptions { BatchSize = 3, Epochs = 3 }, new TrainerHooks
        {
            CheckpointReady = checkpoints.Add,
            EpochEnded = summary => { if (summary.Epoch == 2) Kill(summary.Net); }, // as if the epoch's last update had killed it
        });

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Contains("that checkpoint was not written and the last one is kept", e.Message);
        Assert.Equal([1], checkpoints.Select(c => c.State.Epoch!.Value));
    }

    [Fact]
    public void LiveNetworkIsNotTakenForDead()
    {
        using var source = TrainingTestData.Patches(6, 13, seed: 1);
        using var net = Trainer.CreateNetwork(Narrow, 1);
        var checkpoints = new List<TrainingCheckpoint>();
        using var trainer = new Trainer(net, source, new TrainingOptions { BatchSize = 3, Epochs = 2, ClipMode = ClipMode.Adjustable, Clip = 0.01 },
            new TrainerHooks { CheckpointReady = checkpoints.Add });
        Assert.Equal(TrainingOutcome.Completed, trainer.Run());
        Assert.Equal([1, 2], checkpoints.Select(c => c.State.Epoch!.Value));
    }
}
