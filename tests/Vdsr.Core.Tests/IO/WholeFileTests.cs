using System.Diagnostics;
using Vdsr.Core.IO;

namespace Vdsr.Core.Tests.IO;

public sealed class WholeFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReadsARegularFile()
    {
        string path = _temp.File("a.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, WholeFile.Read(path, "test file"));
    }

    [Fact]
    public void RefusesAFileOverTheCap()
    {
        string path = _temp.File("big.bin");
        File.WriteAllBytes(path, new byte[100]);
        var e = Assert.Throws<VdsrUserException>(() => WholeFile.Read(path, "test file", maxBytes: 99));
        Assert.Equal($"{path}: 100 bytes, more than the 99 bytes a test file may have here", e.Message);
    }

    [Fact]
    public void RefusesADeviceAFifoAndAFolderWithoutReadingThem()
    {
        string fifo = _temp.File("pipe");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        string folder = _temp.File("dir");
        Directory.CreateDirectory(folder);
        Assert.Equal("/dev/zero: is a character device, not a test file (only a regular file is read)",
            Assert.Throws<VdsrUserException>(() => WholeFile.Read("/dev/zero", "test file")).Message);
        Assert.Equal($"{fifo}: is a FIFO (named pipe), not a test file (only a regular file is read)",
            Assert.Throws<VdsrUserException>(() => WholeFile.Read(fifo, "test file")).Message);
        Assert.Equal($"{folder}: is a folder, not a test file",
            Assert.Throws<VdsrUserException>(() => WholeFile.Read(folder, "test file")).Message);
    }
}
