using System.Diagnostics;

namespace Vdsr.Tools.Tests;

/// <summary>
/// A device, a FIFO or a folder given where a file is read whole is refused in one line, exit 1,
/// instead of being read without end (/dev/zero) or blocking (a FIFO nobody writes to).
/// </summary>
public class NonRegularFileTests
{
    public static TheoryData<string> Kinds => new() { "device", "fifo", "folder" };

    private static string Make(TempFolder temp, string kind)
    {
        switch (kind)
        {
            case "device":
                return "/dev/zero";
            case "fifo":
                string fifo = temp.File("pipe");
                using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
                Assert.True(File.Exists(fifo), "mkfifo failed");
                return fifo;
            default:
                string folder = temp.File("folder.pth");
                Directory.CreateDirectory(folder);
                return folder;
        }
    }

    private static string Expected(string kind) => kind switch
    {
        "device" => "is a character device",
        "fifo" => "is a FIFO (named pipe)",
        _ => "is a folder",
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AsModelIsRefusedInOneLine(string kind)
    {
        using var temp = new TempFolder();
        string path = Make(temp, kind);
        var result = Tool.Run("eval", ["--model", path, "--scale", "4", "--dataset", "Set5"], timeoutSeconds: 120);
        Assert.Equal(1, result.ExitCode);
        Tool.AssertOneLineError(result, path, kind == "folder" ? "not a file" : Expected(kind));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AsTrainingDataIsRefusedInOneLine(string kind)
    {
        using var temp = new TempFolder();
        string path = Make(temp, kind);
        var result = Tool.Run("train", ["--data", path, "--no-val", "--nEpochs", "1", "--checkpoint-dir", temp.File("ck")], timeoutSeconds: 120);
        Assert.Equal(1, result.ExitCode);
        Tool.AssertOneLineError(result, path, Expected(kind));
    }
}
