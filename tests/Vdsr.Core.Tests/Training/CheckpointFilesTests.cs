using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.Training;

public class CheckpointFilesTests
{
    private static string Touch(TempFolder temp, string name, int secondsAgo)
    {
        string path = temp.File(name);
        File.WriteAllText(path, name);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-secondsAgo));
        return path;
    }

    [Fact]
    public void NewestWrittenComesFirstWhateverItsPosition()
    {
        using var temp = new TempFolder();
        Touch(temp, "model_epoch_5.safetensors", 30); // of a branch abandoned by resuming epoch 3
        Touch(temp, "model_epoch_3.safetensors", 60);
        var latest = Touch(temp, "model_epoch_4_iter_2.safetensors", 1);
        Touch(temp, "training_log.csv", 0);
        Touch(temp, ".model_epoch_4_iter_4.safetensors.123-0123456789abcdef0123456789abcdef.tmp", 0);

        Assert.Equal(latest, CheckpointFiles.Latest(temp.Path));
        Assert.Equal(["model_epoch_4_iter_2.safetensors", "model_epoch_5.safetensors", "model_epoch_3.safetensors"],
            CheckpointFiles.NewestFirst(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void SameTickIsOrderedByPosition()
    {
        using var temp = new TempFolder();
        var when = DateTime.UtcNow;
        foreach (var name in new[] { "model_epoch_2_iter_4.safetensors", "model_epoch_2.safetensors", "model_epoch_3_iter_2.safetensors" })
            File.SetLastWriteTimeUtc(Touch(temp, name, 0), when);
        Assert.Equal(["model_epoch_3_iter_2.safetensors", "model_epoch_2.safetensors", "model_epoch_2_iter_4.safetensors"],
            CheckpointFiles.NewestFirst(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void PruneKeepsTheNewestAndTheOneJustWritten()
    {
        using var temp = new TempFolder();
        Touch(temp, "model_epoch_1.safetensors", 40);
        Touch(temp, "model_epoch_2.safetensors", 30);
        Touch(temp, "model_epoch_3.safetensors", 20);
        var written = Touch(temp, "model_epoch_2_iter_3.safetensors", 50); // a clock set back must not delete it

        var deleted = CheckpointFiles.Prune(temp.Path, keep: 2, written);

        Assert.Equal(["model_epoch_2.safetensors", "model_epoch_1.safetensors"], deleted.Select(Path.GetFileName));
        Assert.Equal(["model_epoch_2_iter_3.safetensors", "model_epoch_3.safetensors"],
            Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(CheckpointFiles.Prune(temp.Path, keep: 0, written));
    }

    [Fact]
    public void NothingToResumeIsAUserError()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<VdsrUserException>(() => CheckpointFiles.Latest(temp.Path));
        Assert.Contains(temp.Path, e.Message);
    }
}
