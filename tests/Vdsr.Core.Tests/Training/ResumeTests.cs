using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Training;

public class ResumeTests
{
    private static readonly VdsrArchitecture Narrow = VdsrArchitecture.Uniform(6, 8);

    // 10 patches at batch 4: 3 batches per epoch (the last one partial); lr decays after epoch 2.
    private static readonly TrainingOptions Options = new()
    {
        BatchSize = 4, Epochs = 4, Step = 2, LearningRate = 0.05, Seed = 7,
    };

    public ResumeTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(5)] // mid-epoch 2
    [InlineData(6)] // exactly at the end of epoch 2
    public void ResumedRunIsBitIdenticalToAnUninterruptedOne(int stopAfterSteps)
    {
        var (straight, after) = StraightAndResumed(Options, stopAfterSteps);
        Assert.Contains(OptimizerTensors.MomentumName("output.weight"), after.Names);
        AssertSameState(straight, after);
    }

    [Fact]
    public void AdamWithWarmupAndMeanLossResumesBitIdentically()
    {
        var options = Options with { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, WarmupSteps = 4, LossReduction = LossReduction.Mean, WeightDecay = 0 };
        var (straight, after) = StraightAndResumed(options, stopAfterSteps: 2); // inside the warm-up
        Assert.Contains("optimizer.exp_avg_sq.output.weight", after.Names);
        AssertSameState(straight, after);
    }

    /// <summary>
    /// The state after an uninterrupted run, and after a run stopped after <paramref name="stopAfterSteps"/>
    /// steps whose last checkpoint, copied as a file would keep it, is resumed to the end.
    /// </summary>
    private static (StateDict Straight, StateDict Resumed) StraightAndResumed(TrainingOptions options, int stopAfterSteps)
    {
        var straight = RunStraight(options);

        using var source = TrainingTestData.Patches(10, 17, options.Seed);
        TrainingCheckpoint? last = null;
        int steps = 0;
        using (var cancel = new CancellationTokenSource())
        using (var first = Trainer.CreateNetwork(Narrow, options.Seed))
        using (var trainer = new Trainer(first, source, options, new TrainerHooks
               {
                   Progress = new SynchronousProgress<TrainingProgress>(_ => { if (++steps == stopAfterSteps) cancel.Cancel(); }),
                   CheckpointReady = c => last = c,
               }))
        {
            Assert.Equal(TrainingOutcome.Cancelled, trainer.Run(cancel.Token));
            Assert.Equal(stopAfterSteps, steps);
        }
        Assert.NotNull(last);

        // A different initialisation proves the weights come from the state, not from the seed.
        using var resumedNet = Trainer.CreateNetwork(Narrow, seed: 12345);
        using var resumed = Trainer.Resume(resumedNet, source, CopyThroughManagedArrays(last.State), "test state");
        Assert.Equal(last.Position, resumed.Position);
        Assert.Equal(TrainingOutcome.Completed, resumed.Run());
        return (straight, resumed.CaptureState());
    }

    private static void AssertSameState(StateDict straight, StateDict after)
    {
        Assert.Equal(straight.Names.OrderBy(n => n, StringComparer.Ordinal), after.Names.OrderBy(n => n, StringComparer.Ordinal));
        foreach (var name in straight.Names)
            Assert.True(straight[name].Data.AsSpan().SequenceEqual(after[name].Data), $"{name} differs after resuming");
        Assert.Equal(WithoutClock(straight.Metadata), WithoutClock(after.Metadata));
    }

    /// <summary>The metadata but the training clock, which measures this machine rather than the run.</summary>
    private static Dictionary<string, string> WithoutClock(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Where(kv => kv.Key != TrainingState.ElapsedKey).ToDictionary();

    [Fact]
    public void StateCarriesPositionAndOptions()
    {
        using var source = TrainingTestData.Patches(10, 17, Options.Seed);
        using var net = Trainer.CreateNetwork(Narrow, Options.Seed);
        using var trainer = new Trainer(net, source, Options with { Epochs = 1 });
        trainer.Run();
        var state = trainer.CaptureState();
        Assert.Equal(1, state.Epoch);
        Assert.Equal(new TrainingPosition(2, 0), TrainingState.ReadPosition(state, "s"));
        Assert.Equal(Options with { Epochs = 1 }, TrainingState.ReadOptions(state, "s"));
        Assert.Equal(Narrow.Depth * 2, state.Count); // weights and their momentum buffers
    }

    [Fact]
    public void ARunFromAPrunedModelKeepsItsPruningRecordInEveryCheckpointAndWhenResumed()
    {
        var pruned = new StateDict();
        pruned.Metadata["pruning.method"] = "l1";
        pruned.Metadata["pruning.stage"] = "fine-tuned";
        pruned.Metadata["note"] = "not part of the record";
        var lineage = ModelLineage.Of(pruned);
        Assert.Equal(["pruning.method", "pruning.stage"], lineage.Keys.Order(StringComparer.Ordinal));

        using var source = TrainingTestData.Patches(10, 17, Options.Seed);
        using var net = Trainer.CreateNetwork(Narrow, Options.Seed);
        var checkpoints = new List<TrainingCheckpoint>();
        using var trainer = TrainingStart.Fresh(net, Options with { Epochs = 2 }, lineage: lineage)
            .CreateTrainer(source, new TrainerHooks { CheckpointReady = checkpoints.Add });
        Assert.Equal(TrainingOutcome.Completed, trainer.Run());
        Assert.Equal(2, checkpoints.Count);
        Assert.All(checkpoints, c => Assert.Equal("l1", c.State.Metadata["pruning.method"]));
        Assert.DoesNotContain("note", checkpoints[0].State.Metadata.Keys);

        using var resumedNet = Trainer.CreateNetwork(Narrow, Options.Seed);
        using var resumed = Trainer.Resume(resumedNet, source, CopyThroughManagedArrays(checkpoints[0].State), "test state", o => o with { Epochs = 3 });
        Assert.Equal(TrainingOutcome.Completed, resumed.Run());
        Assert.Equal("fine-tuned", resumed.CaptureState().Metadata["pruning.stage"]);
    }

    [Fact]
    public void TheModelAloneKeepsTheWeightsAndTheirRecordButNotTheRun()
    {
        using var source = TrainingTestData.Patches(10, 17, Options.Seed);
        using var net = Trainer.CreateNetwork(Narrow, Options.Seed);
        using var trainer = new Trainer(net, source, Options with { Epochs = 1, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3 })
        {
            Lineage = new Dictionary<string, string> { ["pruning.method"] = "l1" },
        };
        trainer.Run();
        var state = trainer.CaptureState();
        Assert.Contains(AdamOptimizer.StepKey, state.Metadata.Keys);

        var model = TrainingState.ModelOnly(state);
        Assert.Equal(ModelStore.ToStateDict(net).Names, model.Names);
        Assert.Equal(state["output.weight"].Data, model["output.weight"].Data);
        Assert.Equal(1, model.Epoch);
        Assert.Equal(new Dictionary<string, string> { ["pruning.method"] = "l1" }, model.Metadata);
        Assert.False(TrainingState.IsResumable(model));
    }

    [Fact]
    public void WeightsOnlyStateIsNotResumable()
    {
        var state = new StateDict();
        var e = Assert.Throws<CheckpointFormatException>(() => TrainingState.ReadPosition(state, "model_epoch_50.pth"));
        Assert.StartsWith("model_epoch_50.pth: ", e.Message);
    }

    private static StateDict RunStraight(TrainingOptions options)
    {
        using var source = TrainingTestData.Patches(10, 17, options.Seed);
        using var net = Trainer.CreateNetwork(Narrow, options.Seed);
        using var trainer = new Trainer(net, source, options);
        Assert.Equal(TrainingOutcome.Completed, trainer.Run());
        return trainer.CaptureState();
    }

    /// <summary>What a file round trip keeps: fresh arrays, shapes and strings; nothing shared with libtorch.</summary>
    private static StateDict CopyThroughManagedArrays(StateDict state)
    {
        var copy = new StateDict { Epoch = state.Epoch };
        foreach (var (name, t) in state.Entries)
            copy.Add(name, new TensorData(t.Shape.ToArray(), t.Data.ToArray()));
        foreach (var (k, v) in state.Metadata) copy.Metadata[k] = v;
        return copy;
    }
}
