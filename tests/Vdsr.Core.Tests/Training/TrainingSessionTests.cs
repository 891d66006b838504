using Vdsr.Core.Checkpoints;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Tests.Data;
using Vdsr.Core.Training;
using Vdsr.Core.Tests.Imaging;

namespace Vdsr.Core.Tests.Training;

public class TrainingSessionTests
{
    public TrainingSessionTests() => TorchRuntime.EnsureInitialized();

    private static readonly VdsrArchitecture Narrow = VdsrArchitecture.Uniform(4, 8);

    [Theory]
    [InlineData(3, 0, "model_epoch_2.safetensors")]
    [InlineData(3, 5, "model_epoch_3_iter_5.safetensors")]
    [InlineData(1, 0, "model_epoch_0.safetensors")]
    public void CheckpointNames(int epoch, long done, string name) =>
        Assert.Equal(name, TrainingSession.CheckpointFileName(new TrainingPosition(epoch, done)));

    [Fact]
    public void ValidatesAndCheckpointsInsideEpochsEveryNSteps()
    {
        using var temp = new TempFolder();
        string val = temp.File("val");
        Directory.CreateDirectory(val);
        EncodedImages.WriteRgbPng(Path.Combine(val, "flat.png"), 24, 24, (x, y) => ((byte)(x * 9), (byte)(y * 9), 100));
        string folder = temp.File("ck");
        var messages = new List<string>();
        // 6 patches at batch 2: 3 steps per epoch; every 2 steps of the run falls at (1,2), (2,1) and (2,3), the last an epoch's end.
        using (var source = TrainingTestData.Patches(6, 13, seed: 3))
        using (var net = Trainer.CreateNetwork(Narrow, 3))
        using (var session = new TrainingSession(
                   TrainingStart.Fresh(net, new TrainingOptions { BatchSize = 2, Epochs = 2, ValEverySteps = 2, CheckpointEverySteps = 2, CheckpointEveryEpochs = 5 }),
                   source, folder, new EvalDataset(val, [2]), TorchSharp.torch.CPU, new TrainingSessionEvents { Message = messages.Add }))
        {
            Assert.Equal(TrainingOutcome.Completed, session.Run(CancellationToken.None));
        }
        Assert.Equal(["model_epoch_1_iter_2.safetensors", "model_epoch_2.safetensors", "model_epoch_2_iter_1.safetensors"],
            Directory.GetFiles(folder, "*.safetensors").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var history = TrainingHistory.Read(Path.Combine(folder, TrainingSession.LogFileName));
        Assert.Equal([(1, 2L), (1, 3), (2, 1), (2, 3)], history.Validations.Select(v => (v.Epoch, v.Iteration)));
        Assert.All(history.Validations, v => Assert.True(v.ElapsedSeconds > 0));
        Assert.Contains(messages, m => m.StartsWith("===> Epoch[1](2/3) at ", StringComparison.Ordinal));
        var resumed = TrainingSession.LoadResumable(Path.Combine(folder, "model_epoch_2_iter_1.safetensors"));
        Assert.Equal(new TrainingPosition(2, 1), TrainingState.ReadPosition(resumed, "s"));
    }

    [Fact]
    public void WritesCheckpointsLogAndCurvesAndResumesIntoTheSameLog()
    {
        using var temp = new TempFolder();
        string val = temp.File("val");
        Directory.CreateDirectory(val);
        EncodedImages.WriteRgbPng(Path.Combine(val, "flat.png"), 24, 24, (x, y) => x == 5 && y == 7 ? ((byte)255, (byte)255, (byte)255) : ((byte)90, (byte)140, (byte)200));
        var validation = new EvalDataset(val, [2, 4]);
        string folder = temp.File("ck");
        var messages = new List<string>();

        using (var source = TrainingTestData.Patches(6, 13, seed: 3))
        using (var net = Trainer.CreateNetwork(Narrow, 3))
        using (var session = new TrainingSession(TrainingStart.Fresh(net, new TrainingOptions { BatchSize = 2, Epochs = 1 }), source, folder, validation,
                   TorchSharp.torch.CPU, new TrainingSessionEvents { Message = messages.Add }))
        {
            Assert.Equal(TrainingOutcome.Completed, session.Run(CancellationToken.None));
        }
        string first = Path.Combine(folder, "model_epoch_1.safetensors");
        Assert.Contains($"Checkpoint saved to {first}", messages);
        Assert.Contains(messages, m => m.StartsWith("===> Epoch[1] mean loss", StringComparison.Ordinal) && m.Contains("x2 ") && m.Contains("x4 "));
        Assert.True(File.Exists(Path.Combine(folder, TrainingSession.CurvesFileName)));

        // The first part as the previous version logged it, without the training clock: resuming adds the column.
        string log = Path.Combine(folder, TrainingSession.LogFileName);
        File.WriteAllLines(log, File.ReadAllLines(log).Select(line => line[..line.LastIndexOf(',')]));
        Assert.DoesNotContain("elapsed_s", File.ReadLines(log).First());

        var state = TrainingSession.LoadResumable(first);
        using (var source = TrainingTestData.Patches(6, 13, seed: 3))
        using (var net = TrainingSession.BuildNetwork(state, first, null, null, seed: 99))
        using (var cancel = new CancellationTokenSource())
        using (var session = new TrainingSession(TrainingStart.Resumed(net, state, first, o => o with { Epochs = 2 }), source, folder, validation,
                   TorchSharp.torch.CPU, new TrainingSessionEvents { Message = messages.Add, StepDone = p => { if (p.Iteration == 2) cancel.Cancel(); } }))
        {
            Assert.Equal(TrainingOutcome.Cancelled, session.Run(cancel.Token));
        }
        Assert.Contains($"Checkpoint saved to {Path.Combine(folder, "model_epoch_2_iter_2.safetensors")}", messages);

        var history = TrainingHistory.Read(Path.Combine(folder, TrainingSession.LogFileName));
        Assert.Equal([(1, 1L), (1, 2), (1, 3), (2, 1), (2, 2)], history.Steps.Select(s => (s.Epoch, s.Iteration)));
        Assert.Equal([false, false, false, true, true], history.Steps.Select(s => s.ElapsedSeconds is not null));
        Assert.Equal([1], history.Validations.Select(v => v.Epoch));
        Assert.Equal([2, 4], history.Scales);
    }

    [Fact]
    public void StoppingBeforeTheFirstStepWritesNoCheckpoint()
    {
        using var temp = new TempFolder();
        using var source = TrainingTestData.Patches(4, 13, seed: 1);
        using var net = Trainer.CreateNetwork(Narrow, 1);
        using var session = new TrainingSession(TrainingStart.Fresh(net, new TrainingOptions { BatchSize = 2, Epochs = 1 }), source, temp.File("ck"), null, TorchSharp.torch.CPU);
        Assert.Equal(TrainingOutcome.Cancelled, session.Run(new CancellationToken(canceled: true)));
        Assert.Empty(Directory.GetFiles(temp.File("ck"), "*.safetensors"));
    }

    [Fact]
    public void ResumingRequiresATrainingCheckpoint()
    {
        using var temp = new TempFolder();
        string path = temp.File("weights.safetensors");
        using var net = Trainer.CreateNetwork(Narrow, 1);
        CheckpointFile.Save(path, ModelStore.ToStateDict(net, epoch: 4));
        var e = Assert.Throws<CheckpointFormatException>(() => TrainingSession.LoadResumable(path));
        Assert.Contains("not a resumable training checkpoint", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Throws<VdsrUserException>(() => TrainingSession.LoadResumable(temp.File("missing.safetensors")));
    }
}
