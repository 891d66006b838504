using System.Diagnostics;
using Vdsr.Core.IO;

namespace Vdsr.Core.Tests.IO;

public class TemporaryFilesTests
{
    /// <summary>The id of a process that has ended (reaped), so no running process has it for now.</summary>
    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void LeftoversOfDeadWritersGoAndThoseOfLiveOnesStay()
    {
        using var temp = new TempFolder();
        string target = temp.File("train.h5");
        int dead = DeadProcessId();
        string deadFile = temp.File($".train.h5.{dead}-{Guid.NewGuid():N}.tmp");
        string deadBuckets = temp.File($".train.h5.{dead}-{Guid.NewGuid():N}.buckets");
        string otherTarget = temp.File($".other.h5.{dead}-{Guid.NewGuid():N}.tmp");
        string live = TemporaryFiles.Beside(target, "tmp");
        File.WriteAllText(deadFile, "half");
        Directory.CreateDirectory(deadBuckets);
        File.WriteAllText(Path.Combine(deadBuckets, "0.bin"), "patches");
        File.WriteAllText(otherTarget, "half");
        File.WriteAllText(live, "being written");
        File.WriteAllText(target, "complete");

        Assert.Equal(2, TemporaryFiles.RemoveLeftovers(target));
        Assert.False(File.Exists(deadFile));
        Assert.False(Directory.Exists(deadBuckets));
        Assert.True(File.Exists(otherTarget) && File.Exists(live) && File.Exists(target));

        Assert.Equal(1, TemporaryFiles.RemoveLeftoversIn(temp.Path));
        Assert.False(File.Exists(otherTarget));
        Assert.True(File.Exists(live) && File.Exists(target));
    }

    [Fact]
    public void AtomicWriteRemovesADeadWritersLeftoverOfTheSameFile()
    {
        using var temp = new TempFolder();
        string target = temp.File("out.png");
        string leftover = temp.File($".out.png.{DeadProcessId()}-{Guid.NewGuid():N}.tmp");
        File.WriteAllText(leftover, "half");

        AtomicFile.WriteAllText(target, "done");

        Assert.Equal(["out.png"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }
}
