using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Imaging;
using Vdsr.Core.Model;
using Vdsr.Core.Training;

namespace Vdsr.Tools.Tests;

/// <summary>The inputs and a straight two-epoch run that the other vdsr-train tests compare against.</summary>
public sealed class TrainRunFixture : IDisposable
{
    internal TempFolder Temp { get; } = new();
    public string Data { get; }
    public string Validation { get; }
    public string StraightFolder { get; }
    internal Tool.Result Straight { get; }

    public TrainRunFixture()
    {
        Data = TrainingFiles.TinyTrainingSet(Temp);
        Validation = TrainingFiles.TinyValidationFolder(Temp);
        StraightFolder = Path.Combine(Temp.Path, "straight");
        Straight = Tool.Run("train", Args(StraightFolder, epochs: 2));
    }

    /// <summary>6 steps of batch 4 per epoch, validation on one 32x32 image at x2, x3, x4.</summary>
    public string[] Args(string checkpointFolder, int epochs) =>
        ["--data", Data, "--val-dataset", Validation, "--batchSize", "4", "--nEpochs", epochs.ToString(), "--checkpoint-dir", checkpointFolder];

    public void Dispose() => Temp.Dispose();
}

public class TrainToolTests(TrainRunFixture run) : IClassFixture<TrainRunFixture>
{
    [Fact]
    public void TrainsTwoEpochsWritingCheckpointsLogAndCurves()
    {
        var r = run.Straight;
        Assert.True(r.ExitCode == 0, r.Stderr);
        var banners = r.Stdout.Split('\n').Where(l => l.StartsWith("===> ", StringComparison.Ordinal) && !l.StartsWith("===> Epoch", StringComparison.Ordinal)).ToList();
        Assert.Equal(["===> Loading datasets", "===> Building model", "===> Setting Optimizer", "===> Training"], banners.Select(b => b.TrimEnd()));

        for (int epoch = 1; epoch <= 2; epoch++)
        {
            var path = Path.Combine(run.StraightFolder, $"model_epoch_{epoch}.safetensors");
            Assert.Contains($"Checkpoint saved to {path}", r.Stdout);
            Assert.Equal(CheckpointFormat.Vdsr, CheckpointFile.DetectFormat(path));
            var state = CheckpointFile.Load(path);
            Assert.Equal(epoch, state.Epoch);
            Assert.Equal(new TrainingPosition(epoch + 1, 0), TrainingState.ReadPosition(state, path));
        }

        var lines = TrainingFiles.CsvLines(run.StraightFolder);
        Assert.Equal("epoch,iteration,loss,lr,grad_norm,psnr_x2,psnr_x3,psnr_x4,elapsed_s", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var steps = rows.Where(c => c[2].Length > 0).ToList();
        var validations = rows.Where(c => c[5].Length > 0).ToList();
        Assert.Equal(12, steps.Count);
        Assert.Equal(["1,1", "1,2", "1,3", "1,4", "1,5", "1,6", "2,1", "2,2", "2,3", "2,4", "2,5", "2,6"], steps.Select(c => $"{c[0]},{c[1]}"));
        Assert.All(steps, c => Assert.True(double.Parse(c[2]) > 0 && double.Parse(c[4]) > 0));
        Assert.All(steps, c => Assert.Equal(0.1, double.Parse(c[3])));
        Assert.Equal(["1", "2"], validations.Select(c => c[0]));
        Assert.All(validations, c => Assert.All(c[5..^1], psnr => Assert.InRange(double.Parse(psnr), 5, 100)));

        string png = Path.Combine(run.StraightFolder, "training_curves.png");
        var info = ImageFile.Identify(png);
        // The loss panel and one PSNR panel per validation scale (x2, x3, x4).
        Assert.Equal((TrainingCurves.Width, 4 * TrainingCurves.PanelHeight), (info.Width, info.Height));
        Assert.Empty(Directory.GetFiles(run.StraightFolder, "*.tmp"));
    }

    [Fact]
    public void CosineUnderATimeBudgetDecaysOverTheMinutesItLeaves()
    {
        string folder = Path.Combine(run.Temp.Path, "cosine-budget");
        var r = Tool.Run("train", [.. run.Args(folder, epochs: 1), "--lr-decay", "cosine", "--time-budget", "2"]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("=> cosine lr decay over the ", r.Stdout);
        var options = TrainingOptions.ReadFrom(CheckpointFile.Load(Path.Combine(folder, "model_epoch_1.safetensors")).Metadata, "model_epoch_1");
        // the budget's 2 minutes less the start-up before training
        Assert.InRange(options.DecayMinutes, 1.0, 2.0);
        // an explicit horizon wins
        string explicitFolder = Path.Combine(run.Temp.Path, "cosine-explicit");
        var own = Tool.Run("train", [.. run.Args(explicitFolder, epochs: 1), "--lr-decay", "cosine", "--time-budget", "2", "--lr-decay-minutes", "7"]);
        Assert.True(own.ExitCode == 0, own.Stderr + own.Stdout);
        Assert.DoesNotContain("=> cosine lr decay over the ", own.Stdout);
        Assert.Equal(7, TrainingOptions.ReadFrom(CheckpointFile.Load(Path.Combine(explicitFolder, "model_epoch_1.safetensors")).Metadata, "model_epoch_1").DecayMinutes);
    }

    [Fact]
    public void ResumeContinuesTheRunExactly()
    {
        string folder = Path.Combine(run.Temp.Path, "resumed");
        var first = Tool.Run("train", run.Args(folder, epochs: 1));
        Assert.True(first.ExitCode == 0, first.Stderr);
        var second = Tool.Run("train", [.. run.Args(folder, epochs: 2), "--resume", Path.Combine(folder, "model_epoch_1.safetensors")]);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("at epoch 2, iteration 0", second.Stdout);
        Assert.DoesNotContain("Checkpoint saved to " + Path.Combine(folder, "model_epoch_1.safetensors"), second.Stdout);

        AssertSameState(Path.Combine(run.StraightFolder, "model_epoch_2.safetensors"), Path.Combine(folder, "model_epoch_2.safetensors"));
        Assert.Equal(TrainingFiles.CsvLines(run.StraightFolder).Length, TrainingFiles.CsvLines(folder).Length);
        Assert.Single(TrainingFiles.CsvLines(folder), l => l.StartsWith("epoch,", StringComparison.Ordinal));
    }

    [Fact]
    public void ResumeKeepsTheStoredSeedWhenSeedIsNotRepeated()
    {
        string straight = Path.Combine(run.Temp.Path, "seed5"), resumed = Path.Combine(run.Temp.Path, "seed5-resumed");
        var full = Tool.Run("train", [.. run.Args(straight, epochs: 2), "--seed", "5", "--no-val"]);
        Assert.True(full.ExitCode == 0, full.Stderr);
        var first = Tool.Run("train", [.. run.Args(resumed, epochs: 1), "--seed", "5", "--no-val"]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var second = Tool.Run("train", [.. run.Args(resumed, epochs: 2), "--no-val", "--resume", Path.Combine(resumed, "model_epoch_1.safetensors")]);
        Assert.True(second.ExitCode == 0, second.Stderr);
        AssertSameState(Path.Combine(straight, "model_epoch_2.safetensors"), Path.Combine(resumed, "model_epoch_2.safetensors"));
    }

    [Fact]
    public void InterruptSavesACheckpointThatResumesExactly()
    {
        // The interrupted run asks for far more epochs than it can reach before the signal, however
        // busy the machine: a short run could end before the test saw its first step and signalled.
        const int epochsAsked = 1000;
        string folder = Path.Combine(run.Temp.Path, "interrupted");
        var (exitCode, stdout, stderr) = RunAndInterrupt(run.Args(folder, epochs: epochsAsked), Path.Combine(folder, "training_log.csv"));
        Assert.True(exitCode == 0, stderr);
        Assert.True(stdout.Contains("===> Stopped on request", StringComparison.Ordinal), $"no stop on request in:\n{stdout}\n{stderr}");
        string saved = stdout.Split('\n').Last(l => l.StartsWith("Checkpoint saved to ", StringComparison.Ordinal))["Checkpoint saved to ".Length..].Trim();
        var name = Regex.Match(saved, @"model_epoch_(\d+)(_iter_\d+)?\.safetensors$");
        Assert.True(name.Success, saved);
        Assert.False(File.Exists(Path.Combine(folder, $"model_epoch_{epochsAsked}.safetensors")), "the run finished before the interrupt");

        // Finish the epoch the checkpoint is in (or the next one, if it closed an epoch) and compare
        // with a straight run of as many epochs.
        int savedEpoch = int.Parse(name.Groups[1].Value);
        int target = name.Groups[2].Success ? savedEpoch : savedEpoch + 1;
        var resumed = Tool.Run("train", [.. run.Args(folder, epochs: target), "--resume", saved]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        string straight = run.StraightFolder;
        if (target > 2)
        {
            straight = Path.Combine(run.Temp.Path, $"straight-{target}");
            var longer = Tool.Run("train", run.Args(straight, epochs: target));
            Assert.True(longer.ExitCode == 0, longer.Stderr);
        }
        AssertSameState(Path.Combine(straight, $"model_epoch_{target}.safetensors"), Path.Combine(folder, $"model_epoch_{target}.safetensors"));
    }

    [Fact]
    public void NanLossStopsWithOneLine()
    {
        using var temp = new TempFolder();
        var r = Tool.Run("train", ["--data", TrainingFiles.NanTrainingSet(temp), "--no-val", "--batchSize", "4", "--nEpochs", "1", "--checkpoint-dir", temp.File("ck")]);
        Tool.AssertOneLineError(r, "training diverged", "loss is NaN at epoch 1 iteration 1/2");
        Assert.Empty(Directory.GetFiles(temp.File("ck"), "*.safetensors"));
    }

    [Fact]
    public void CollapsedNetworkStopsWithOneLineNamingTheFlags()
    {
        // A pretrained model whose first layer is all negative: on inputs in [0, 1] every ReLU is
        // dead, the network outputs its input and no gradient flows (what a too-large adjustable
        // clipping threshold leads to on the bundled data).
        using var temp = new TempFolder();
        using var net = Trainer.CreateNetwork(VdsrArchitecture.Original, seed: 1);
        using (TorchSharp.torch.no_grad()) net.LayerWeight(0).abs_().neg_();
        string dead = temp.File("dead.safetensors");
        CheckpointFile.Save(dead, ModelStore.ToStateDict(net, epoch: 1));
        var r = Tool.Run("train", ["--data", run.Data, "--no-val", "--batchSize", "4", "--nEpochs", "1", "--checkpoint-dir", temp.File("ck"),
            "--pretrained", dead, "--loss-reduction", "batch", "--clip-mode", "adjustable", "--clip", "0.01"]);
        Tool.AssertOneLineError(r, "training collapsed", "at epoch 1 iteration 1/6", "likely cause: the clipping threshold (theta 0.01", "(--clip, --lr)");
        Assert.Empty(Directory.GetFiles(temp.File("ck"), "*.safetensors"));
    }

    [Fact]
    public void BadInputsGiveOneLine()
    {
        using var temp = new TempFolder();
        string ck = temp.File("ck");
        string[] Common(string data, string? validation = null) =>
            ["--data", data, "--val-dataset", validation ?? run.Validation, "--checkpoint-dir", ck, "--nEpochs", "1"];

        Tool.AssertOneLineError(Tool.Run("train", Common(temp.File("missing.h5"))), "missing.h5", "not found");
        string other = TrainingFiles.HdfWithoutPatches(temp);
        Tool.AssertOneLineError(Tool.Run("train", Common(other)), other, "no dataset 'data'");
        string text = temp.File("text.h5");
        File.WriteAllText(text, "not hdf5");
        Tool.AssertOneLineError(Tool.Run("train", Common(text)), text, "not a readable HDF5 file");

        Tool.AssertOneLineError(Tool.Run("train", Common(run.Data, temp.File("noval"))), "noval", "not found");
        Tool.AssertOneLineError(Tool.Run("train", [.. Common(run.Data), "--batchSize", "0"]), "--batchSize 0");
        Tool.AssertOneLineError(Tool.Run("train", [.. Common(run.Data), "--time-budget", "soon"]), "--time-budget 'soon'");
        Tool.AssertOneLineError(Tool.Run("train", [.. Common(run.Data), "--cuda"]), "No GPU found or wrong gpu id, please run without --cuda");

        string garbage = temp.File("garbage.safetensors");
        File.WriteAllText(garbage, "garbage garbage garbage");
        Tool.AssertOneLineError(Tool.Run("train", [.. Common(run.Data), "--resume", garbage]), garbage, "not a checkpoint");
        string weightsOnly = Path.Combine(Tool.RepoRoot, "models", "model_epoch_50.pth");
        Tool.AssertOneLineError(Tool.Run("train", [.. Common(run.Data), "--resume", weightsOnly]), weightsOnly, "not a resumable training checkpoint");
        string exported = temp.File("exported.safetensors");
        CheckpointFile.Export(exported, CheckpointFile.Load(Path.Combine(run.StraightFolder, "model_epoch_1.safetensors")), CheckpointFormat.Safetensors);
        Tool.AssertOneLineError(Tool.Run("train", [.. Common(run.Data), "--resume", exported]), exported, "no momentum buffers");
        string epoch1 = Path.Combine(run.StraightFolder, "model_epoch_1.safetensors");
        Tool.AssertOneLineError(Tool.Run("train", [.. Common(run.Data), "--resume", epoch1, "--lr", "0.5"]), "--lr 0.5 differs from 0.1");
    }

    private static void AssertSameState(string expectedPath, string actualPath)
    {
        var expected = TrainingFiles.Tensors(expectedPath);
        var actual = TrainingFiles.Tensors(actualPath);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Contains(expected.Keys, k => k.StartsWith("optimizer.", StringComparison.Ordinal));
        foreach (var (name, data) in expected)
            Assert.True(data.AsSpan().SequenceEqual(actual[name]), $"{name} differs between {expectedPath} and {actualPath}");
    }

    /// <summary>
    /// Starts vdsr-train, sends SIGINT once the log shows its first step, and waits for the exit. The
    /// tool writes to files, not pipes: nothing it prints waits on this busy test process to read it,
    /// and what it printed can be shown if it does not stop.
    /// </summary>
    private static (int ExitCode, string Stdout, string Stderr) RunAndInterrupt(string[] args, string logPath)
    {
        string outPath = logPath + ".stdout", errPath = logPath + ".stderr";
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        // exec keeps the shell's process id, so the signal reaches the tool itself. A suite started in
        // the background by a non-interactive shell runs with SIGINT ignored, which children inherit
        // and .NET honours (as Python does): the tool would never see the signal. env gives the tool
        // the default disposition, as a terminal's Ctrl+C meets it.
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = Tool.RepoRoot };
        foreach (var a in (string[])["-c", "exec env --default-signal=INT dotnet \"$@\" >\"$OUT\" 2>\"$ERR\"", "sh", Tool.DllPath("train"), .. args])
            start.ArgumentList.Add(a);
        start.Environment["OUT"] = outPath;
        start.Environment["ERR"] = errPath;
        using var process = Process.Start(start)!;
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60) && StepRows(logPath) < 1)
            Thread.Sleep(20);
        Assert.Equal(0, SendInterrupt(process.Id));
        if (!process.WaitForExit(120_000))
        {
            string state = HangReport(process.Id);
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"vdsr-train did not stop within 120 s of SIGINT; {state}\nstdout:\n{File.ReadAllText(outPath)}\nstderr:\n{File.ReadAllText(errPath)}");
        }
        return (process.ExitCode, File.ReadAllText(outPath), File.ReadAllText(errPath));
    }

    /// <summary>A hung tool's signal masks, and each thread's name, state and kernel wait channel.</summary>
    private static string HangReport(int pid)
    {
        try
        {
            var signals = File.ReadAllLines($"/proc/{pid}/status").Where(l => l.StartsWith("Sig", StringComparison.Ordinal) || l.StartsWith("ShdPnd", StringComparison.Ordinal));
            return string.Join(" ", signals) + "; " + string.Join("; ", Directory.GetDirectories($"/proc/{pid}/task").Select(task =>
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                int close = stat.LastIndexOf(')');
                string name = stat[(stat.IndexOf('(') + 1)..close];
                string state = stat[(close + 2)..(close + 3)];
                string wchan = File.Exists(Path.Combine(task, "wchan")) ? File.ReadAllText(Path.Combine(task, "wchan")) : "";
                return $"{name} {state} {wchan}";
            }));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"unreadable ({e.Message})";
        }
    }

    private static int StepRows(string logPath)
    {
        try { return File.Exists(logPath) ? File.ReadAllLines(logPath).Length - 1 : 0; }
        catch (IOException) { return 0; }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static int SendInterrupt(int pid) => Kill(pid, 2);

    [Fact]
    public void KeepCheckpointsKeepsTheNewestWritten()
    {
        string folder = Path.Combine(run.Temp.Path, "kept");
        var r = Tool.Run("train", [.. run.Args(folder, epochs: 2), "--no-val", "--checkpoint-every", "2", "--keep-checkpoints", "2"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["model_epoch_2.safetensors", "model_epoch_2_iter_4.safetensors"], CheckpointFiles.NewestFirst(folder).Select(Path.GetFileName));
        Assert.Contains($"Removed {Path.Combine(folder, "model_epoch_1.safetensors")} (--keep-checkpoints 2)", r.Stdout);

        var resumed = Tool.Run("train", [.. run.Args(folder, epochs: 3), "--no-val", "--checkpoint-every", "2", "--resume", "latest"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains($"=> resuming {Path.Combine(folder, "model_epoch_2.safetensors")} at epoch 3, iteration 0", resumed.Stdout);

        Tool.AssertOneLineError(Tool.Run("train", [.. run.Args(folder, epochs: 1), "--keep-checkpoints", "-1"]), "--keep-checkpoints must be 0 (keep all) or more");
    }
}
