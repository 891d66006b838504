namespace Vdsr.Tools.Tests;

/// <summary>
/// Folder runs with bad files among good ones: each bad file is reported in one line and skipped, the
/// others are processed, and the run exits non-zero at the end. A file that lies about its size is
/// refused from its header before libtorch is loaded.
/// </summary>
public sealed class FolderRunTests
{
    private static (TempFolder Temp, string Folder, string NotAnImage, string Truncated) MixedFolder()
    {
        var temp = new TempFolder();
        string folder = temp.File("images");
        Directory.CreateDirectory(folder);
        for (int i = 0; i < 4; i++) TestImages.WriteRgb(Path.Combine(folder, $"good{i}.png"), 40 + i, 36);
        string notAnImage = Path.Combine(folder, "notes.png");
        File.WriteAllText(notAnImage, "not a picture");
        string truncated = Path.Combine(folder, "cut.png");
        TestImages.WriteRgb(truncated, 64, 64);
        var bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]); // the header survives, the pixels do not
        return (temp, folder, notAnImage, truncated);
    }

    /// <summary>The text file is refused from its header before the network loads, the cut PNG when it is decoded.</summary>
    private static void AssertBothSkippedThenFailed(Tool.Result r, string tool, string notAnImage, string truncated)
    {
        Assert.Equal(1, r.ExitCode);
        var lines = r.ErrorLines;
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{tool}: skipped: {notAnImage}: not an image", lines[0]);
        Assert.StartsWith($"{tool}: skipped: {truncated}: truncated image", lines[1]);
        Assert.StartsWith($"{tool}: error: 2 of 6 images could not be read and were skipped", lines[2]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void EvalSkipsUnreadableImagesAndFailsAtTheEnd()
    {
        var (temp, folder, notAnImage, truncated) = MixedFolder();
        using var _ = temp;

        var r = Tool.Run("eval", ["--dataset", folder, "--scale", "2", "--verbose"]);

        AssertBothSkippedThenFailed(r, "vdsr-eval", notAnImage, truncated);
        for (int i = 0; i < 4; i++) Assert.Contains($"good{i} ", r.Stdout);
        Assert.Matches(@"\nx2 +4 ", r.Stdout); // the summary counts the 4 evaluated images
    }

    [Fact]
    public void DemoSkipsUnreadableImagesAndFailsAtTheEnd()
    {
        var (temp, folder, notAnImage, truncated) = MixedFolder();
        using var _ = temp;
        string output = temp.File("out");

        var r = Tool.Run("demo", ["--image", folder, "--scale", "2", "--output", output]);

        AssertBothSkippedThenFailed(r, "vdsr-demo", notAnImage, truncated);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"good{i}_x2_vdsr.png"), Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AHugeHeaderIsRefusedBeforeLibtorchIsLoaded()
    {
        using var temp = new TempFolder();
        string huge = temp.File("huge.png");
        TestImages.WritePngClaiming(huge, 100_000, 100_000);
        string trace = temp.File("ld");

        // The dynamic linker lists every library the process loads.
        var r = Tool.Run("demo", ["--image", huge, "--output", temp.File("out")],
            environment: new() { ["LD_DEBUG"] = "files", ["LD_DEBUG_OUTPUT"] = trace });

        Tool.AssertOneLineError(r, huge, "100000x100000 image has more than the allowed 100000000 pixels");
        string loaded = string.Concat(Directory.GetFiles(temp.Path, "ld.*").Select(File.ReadAllText));
        Assert.Contains("libSkiaSharp.so", loaded); // the trace works: the image decoder was loaded
        Assert.DoesNotContain("libtorch", loaded);
        Assert.False(Directory.Exists(temp.File("out")));
    }
}
