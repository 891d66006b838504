using Vdsr.Core.IO;

namespace Vdsr.Core.Tests.IO;

public class FolderLockTests
{
    [Fact]
    public void ASecondHolderIsRefusedUntilTheFirstLetsGo()
    {
        using var temp = new TempFolder();
        string folder = Path.Combine(temp.Path, "checkpoint");
        using (FolderLock.Acquire(folder, "training run"))
        {
            var e = Assert.Throws<VdsrUserException>(() => FolderLock.Acquire(folder, "training run"));
            Assert.StartsWith(folder + ": another training run is using this folder", e.Message);
        }
        using var again = FolderLock.Acquire(folder, "training run");
        Assert.True(File.Exists(Path.Combine(folder, FolderLock.FileName)));
    }
}
