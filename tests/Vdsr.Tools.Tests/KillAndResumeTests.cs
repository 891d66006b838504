using System.Globalization;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Training;
using Xunit.Abstractions;

namespace Vdsr.Tools.Tests;

/// <summary>
/// vdsr-train killed with SIGKILL again and again, at random moments and in the middle of checkpoint
/// writes: every time the last complete checkpoint loads, `--resume latest` continues, and the chain
/// ends with the weights and the log of a run that was never interrupted.
/// </summary>
[Trait("Category", "Slow")] // fuzzing, killed processes, convergence: skip locally with --filter "Category!=Slow"
public sealed class KillAndResumeTests(ITestOutputHelper output)
{
    private const int Kills = 12;

    [Fact]
    public void TrainingKilledTwelveTimesEndsAsTheUninterruptedRun()
    {
        using var temp = new TempFolder();
        string data = TrainingFiles.TinyTrainingSet(temp);
        string validation = TrainingFiles.TinyValidationFolder(temp);
        // 6 steps of batch 4 per epoch, 60 steps; a checkpoint every 2 steps, a validation every 3.
        string[] Args(string folder) =>
            ["--data", data, "--val-dataset", validation, "--batchSize", "4", "--nEpochs", "10", "--checkpoint-every", "2",
             "--val-every", "3", "--checkpoint-dir", folder, "--compute-threads", "1"];

        string straight = Path.Combine(temp.Path, "straight");
        var reference = Tool.Run("train", Args(straight));
        Assert.True(reference.ExitCode == 0, reference.Stderr);

        string killed = Path.Combine(temp.Path, "killed");
        var random = new Random(20261129);
        int midWrite = 0;
        for (int kill = 1; kill <= Kills; kill++)
        {
            bool resume = CheckpointFiles.NewestFirst(killed).Count > 0;
            bool duringWrite = kill % 2 == 0;
            double delay = 0.3 + 2.2 * random.NextDouble();
            using (var run = new RunningTool("train", resume ? [.. Args(killed), "--resume", "latest"] : Args(killed)))
            {
                if (kill == 3) SecondRunIsRefusedWhileTheFirstTrains(run, Args(killed), killed);
                else if (duringWrite) KillWhenACheckpointWriteStarts(run, killed, skipWrites: random.Next(3));
                else KillAfter(run, delay);
                Assert.False(run.HasExited && run.Wait().ExitCode == 0, $"the run finished before kill {kill}: make it longer");
                run.Kill();
            }
            bool leftTemporary = Directory.Exists(killed) && Directory.GetFiles(killed, ".model_epoch_*.tmp").Length > 0; // a kill during start-up leaves no folder
            if (leftTemporary) midWrite++;
            var latest = CheckpointFiles.NewestFirst(killed).FirstOrDefault();
            if (latest is not null)
                Assert.True(TrainingState.IsResumable(CheckpointFile.Load(latest)), $"{latest} is not resumable");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kill {kill}: {(kill == 3 ? "after a second run was refused" : duringWrite ? "at a checkpoint write" : $"after {delay:F2} s")}, temporary file left: {leftTemporary}, last checkpoint: {(latest is null ? "none" : Path.GetFileName(latest))}"));
        }

        var last = Tool.Run("train", [.. Args(killed), "--resume", "latest"]);
        Assert.True(last.ExitCode == 0, last.Stderr);
        output.WriteLine($"{Kills} kills, {midWrite} inside a checkpoint write");
        Assert.True(midWrite >= 3, $"only {midWrite} kills landed inside a checkpoint write");
        Assert.Empty(Directory.GetFiles(killed, "*.tmp"));

        var expected = TrainingFiles.Tensors(Path.Combine(straight, "model_epoch_10.safetensors"));
        var actual = TrainingFiles.Tensors(Path.Combine(killed, "model_epoch_10.safetensors"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected)
            Assert.True(values.AsSpan().SequenceEqual(actual[name]), $"{name} differs from the uninterrupted run");
        Assert.Equal(DeterministicColumns(straight), DeterministicColumns(killed));
    }

    /// <summary>The log without its last column, elapsed_s (wall-clock time).</summary>
    private static string[] DeterministicColumns(string folder) =>
        TrainingFiles.CsvLines(folder).Select(line => line[..line.LastIndexOf(',')]).ToArray();

    private static void KillAfter(RunningTool run, double seconds)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until && !run.HasExited) Thread.Sleep(5);
    }

    /// <summary>Kills the run the moment the temporary file of a checkpoint appears (after letting <paramref name="skipWrites"/> complete).</summary>
    private static void KillWhenACheckpointWriteStarts(RunningTool run, string folder, int skipWrites)
    {
        Directory.CreateDirectory(folder);
        using var watcher = new FileSystemWatcher(folder, ".model_epoch_*.tmp") { NotifyFilter = NotifyFilters.FileName };
        int seen = 0;
        using var started = new ManualResetEventSlim();
        watcher.Created += (_, _) =>
        {
            if (Interlocked.Increment(ref seen) > skipWrites)
            {
                run.Kill();
                started.Set();
            }
        };
        watcher.EnableRaisingEvents = true;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!started.Wait(10) && !run.HasExited && DateTime.UtcNow < deadline) { }
    }

    /// <summary>A fresh run into the folder of a run that is training is refused and deletes nothing (not even the log it would restart).</summary>
    private static void SecondRunIsRefusedWhileTheFirstTrains(RunningTool first, string[] args, string folder)
    {
        Assert.True(first.WaitForOutput("Checkpoint saved", TimeSpan.FromSeconds(120)), "the first run never wrote a checkpoint");
        var checkpoints = CheckpointFiles.NewestFirst(folder);
        var second = Tool.Run("train", args.Where(a => a != "--resume" && a != "latest").ToArray());
        Tool.AssertOneLineError(second, folder, "another training run is using this folder");
        Assert.True(File.Exists(Path.Combine(folder, TrainingSession.LogFileName)), "the refused run deleted the log");
        Assert.All(checkpoints, path => Assert.True(File.Exists(path), $"the refused run deleted {path}"));
    }
}
