namespace Vdsr.Tools.Tests;

/// <summary>What every tool shares: `--version`, an example in `--help`, and bundled defaults found from any folder.</summary>
public class ToolCommonTests
{
    public static TheoryData<string> Tools => new() { "convert", "demo", "eval", "prepare", "prune", "train" };

    [Theory]
    [MemberData(nameof(Tools))]
    public void VersionNamesTheToolkitLibtorchAndDevice(string tool)
    {
        var r = Tool.Run(tool, ["--version"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches($@"^vdsr-{tool} \d+\.\d+\.\d+\S* \(VDSR toolkit\)$", lines[0]);
        Assert.Matches(@"^libtorch \d+(\.\d+)+ \(TorchSharp \d+\.\d+\.\d+\), (CPU-only|CUDA) build$", lines[1]);
        Assert.StartsWith("device: ", lines[2]);
        Assert.Contains("cpu", lines[2]);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public void HelpShowsAnExampleOfTheTool(string tool)
    {
        var r = Tool.Run(tool, ["--help"]);
        Assert.Equal(0, r.ExitCode);
        int example = r.Stdout.IndexOf("Example", StringComparison.Ordinal);
        Assert.True(example >= 0, r.Stdout);
        Assert.Contains($"  vdsr-{tool} ", r.Stdout[example..]);
    }

    [Fact]
    public void BundledDefaultsAreFoundFromAnotherFolder()
    {
        using var temp = new TempFolder();
        var r = Tool.Run("eval", ["--scale", "4"], workingDirectory: temp.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"x4\s+5\s+31\.4530", r.Stdout); // the bundled model on the bundled Set5 BMPs
    }

    [Fact]
    public void AMissingDefaultSaysWhereItLooked()
    {
        using var temp = new TempFolder();
        var r = Tool.Run("eval", ["--dataset", "NoSuchSet"], workingDirectory: temp.Path);
        Tool.AssertOneLineError(r, "NoSuchSet: dataset folder not found", $"working folder {temp.Path}", "beside the tool in", "folders above it");
    }
}
