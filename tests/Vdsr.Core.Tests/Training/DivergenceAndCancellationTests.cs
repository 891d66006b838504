using Vdsr.Core.Data;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.Training;

public class DivergenceAndCancellationTests
{
    public DivergenceAndCancellationTests() => TorchRuntime.EnsureInitialized();

    private static readonly VdsrArchitecture Narrow = VdsrArchitecture.Uniform(4, 8);

    [Fact]
    public void NanLossStopsTrainingAndKeepsTheLastGoodCheckpoint()
    {
        using var source = new PoisonedSource(TrainingTestData.Patches(6, 13, seed: 1), poisonFromEpoch: 3);
        using var net = Trainer.CreateNetwork(Narrow, 1);
        var checkpoints = new List<TrainingCheckpoint>();
        using var trainer = new Trainer(net, source, new TrainingOptions { BatchSize = 3, Epochs = 5 }, new TrainerHooks { CheckpointReady = checkpoints.Add });

        var before = trainer.CaptureState(); // what the weights were when epoch 3 began
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.IsAssignableFrom<VdsrUserException>(e);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("loss is NaN at epoch 3 iteration 1/2", e.Message);

        Assert.Equal([1, 2], checkpoints.Select(c => c.State.Epoch!.Value));
        Assert.All(checkpoints, c => Assert.Equal(CheckpointReason.EpochEnd, c.Reason));
        // The failed step did not touch the weights.
        var after = trainer.CaptureState();
        foreach (var name in Narrow.ParameterNames)
        {
            Assert.True(after[name].Data.All(float.IsFinite));
            Assert.Equal(checkpoints[^1].State[name].Data, after[name].Data);
        }
        Assert.NotNull(before);
    }

    [Fact]
    public void CancellationFinishesTheStepAndOffersACheckpoint()
    {
        using var source = TrainingTestData.Patches(6, 13, seed: 1);
        using var net = Trainer.CreateNetwork(Narrow, 1);
        using var cancel = new CancellationTokenSource();
        var checkpoints = new List<TrainingCheckpoint>();
        var steps = new List<TrainingProgress>();
        using var trainer = new Trainer(net, source, new TrainingOptions { BatchSize = 2, Epochs = 5 }, new TrainerHooks
        {
            CheckpointReady = checkpoints.Add,
            Progress = new SynchronousProgress<TrainingProgress>(p => { steps.Add(p); if (steps.Count == 4) cancel.Cancel(); }),
        });

        Assert.Equal(TrainingOutcome.Cancelled, trainer.Run(cancel.Token));
        Assert.Equal(4, steps.Count);
        Assert.Equal(new TrainingPosition(2, 1), trainer.Position);
        Assert.Equal([CheckpointReason.EpochEnd, CheckpointReason.Cancelled], checkpoints.Select(c => c.Reason));
        Assert.Equal(new TrainingPosition(2, 1), checkpoints[^1].Position);
        Assert.Equal(1, checkpoints[^1].State.Epoch);
    }

    [Fact]
    public void EpochHookSeesEveryEpochAndProgressFormatsTheOriginalLine()
    {
        using var source = TrainingTestData.Patches(5, 13, seed: 2);
        using var net = Trainer.CreateNetwork(Narrow, 2);
        var epochs = new List<EpochSummary>();
        var steps = new List<TrainingProgress>();
        var checkpoints = new List<TrainingCheckpoint>();
        using var trainer = new Trainer(net, source, new TrainingOptions { BatchSize = 2, Epochs = 2, CheckpointEveryEpochs = 5 }, new TrainerHooks
        {
            EpochEnded = epochs.Add,
            Progress = new SynchronousProgress<TrainingProgress>(steps.Add),
            CheckpointReady = checkpoints.Add,
        });
        trainer.Run();

        Assert.Equal([1, 2], epochs.Select(s => s.Epoch));
        Assert.Equal(6, steps.Count);
        Assert.Equal([1L, 2, 3, 1, 2, 3], steps.Select(s => s.Iteration));
        Assert.All(steps, s => Assert.Equal(3, s.IterationsPerEpoch));
        Assert.All(steps, s => Assert.True(s.PatchesPerSecond > 0 && s.GradientNorm > 0));
        Assert.Equal(steps.Take(3).Average(s => s.Loss), epochs[0].MeanLoss, 9);
        Assert.Single(checkpoints); // only the last epoch when the interval is longer than the run
        var line = (steps[0] with { Loss = 1.5, Iteration = 100, IterationsPerEpoch = 4000 }).OriginalLogLine;
        Assert.Equal("===> Epoch[1](100/4000): Loss: 1.5000000000", line);
    }

    /// <summary>Serves NaN inputs from a given epoch on.</summary>
    private sealed class PoisonedSource(IPatchBatchSource inner, int poisonFromEpoch) : IPatchBatchSource
    {
        public int PatchSize => inner.PatchSize;
        public long PatchCount => inner.PatchCount;

        public IEnumerable<PatchBatch> Epoch(int epoch, int batchSize, long skipBatches = 0, CancellationToken cancellationToken = default) =>
            inner.Epoch(epoch, batchSize, skipBatches, cancellationToken)
                .Select(b => epoch < poisonFromEpoch ? b : b with { Inputs = b.Inputs.Select(_ => float.NaN).ToArray() });

        public void Dispose() => inner.Dispose();
    }
}
