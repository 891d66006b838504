using Vdsr.Core.Checkpoints;
using Vdsr.Core.Training;

namespace Vdsr.Tools.Tests;

/// <summary>Writes that run out of disk space: one line, exit 1, the previous checkpoint intact, no partial file.</summary>
public sealed class FullDiskTests
{
    [SkippableFact]
    public void TrainingOnAFullDiskStopsInOneLineAndKeepsThePreviousCheckpoint()
    {
        // A checkpoint of the original network is 5.3 MB: the first fits in 8 MB, the second does not.
        using var disk = SmallDisk.TryMount(8, out string reason);
        Skip.If(disk is null, reason);
        using var temp = new TempFolder();
        string data = TrainingFiles.TinyTrainingSet(temp);

        var r = Tool.Run("train", ["--data", data, "--no-val", "--batchSize", "4", "--nEpochs", "1", "--checkpoint-every", "2", "--checkpoint-dir", disk!.Path]);

        Tool.AssertOneLineError(r, Path.Combine(disk.Path, "model_epoch_1_iter_4.safetensors"), "No space left on device");
        string previous = Path.Combine(disk.Path, "model_epoch_1_iter_2.safetensors");
        Assert.Equal(new TrainingPosition(1, 2), TrainingState.ReadPosition(CheckpointFile.Load(previous), previous));
        Assert.Equal(["model_epoch_1_iter_2.safetensors"], CheckpointFiles.NewestFirst(disk.Path).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(disk.Path, "*.tmp"));
    }

    [SkippableFact]
    public void PreparingOnAFullDiskStopsInOneLineAndLeavesNothing()
    {
        using var disk = SmallDisk.TryMount(1, out string reason);
        Skip.If(disk is null, reason);
        string output = Path.Combine(disk!.Path, "train.h5");

        var r = Tool.Run("prepare", ["--input", Tool.InRepo("Set5"), "--max-images", "2", "--output", output]);

        Tool.AssertOneLineError(r, output, "No space left on device");
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
    }
}
