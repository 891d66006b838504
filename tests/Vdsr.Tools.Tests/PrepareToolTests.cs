namespace Vdsr.Tools.Tests;

public class PrepareToolTests
{
    [Fact]
    public void WritesAnHdf5TrainingSet()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("in"));
        TestImages.WriteRgb(temp.File("in/a.bmp"), 90, 84);
        string output = temp.File("train.h5");
        var r = Tool.Run("prepare", ["--input", temp.File("in"), "--output", output, "--no-augment", "--keep-incomplete-chunk"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("patches", r.Stdout);
        Assert.True(new FileInfo(output).Length > 0);
        using var dataset = Vdsr.Core.Data.HdfPatchDataset.Open(output);
        Assert.Equal(41, dataset.PatchSize);
        Assert.True(dataset.PatchCount > 0);
        Assert.Equal(new[] { "train.h5" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void EmptyFolder()
    {
        using var temp = new TempFolder();
        var r = Tool.Run("prepare", ["--input", temp.Path, "--output", temp.File("t.h5")]);
        Tool.AssertOneLineError(r, temp.Path);
        Assert.False(File.Exists(temp.File("t.h5")));
    }

    [Fact]
    public void UnreadableImage()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("broken.bmp"), "not a bitmap");
        var r = Tool.Run("prepare", ["--input", temp.Path, "--output", temp.File("t.h5")]);
        Tool.AssertOneLineError(r, temp.File("broken.bmp"));
        Assert.False(File.Exists(temp.File("t.h5")));
    }

    [Fact]
    public void OutputNotWritable()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("in"));
        TestImages.WriteRgb(temp.File("in/a.bmp"), 90, 84);
        File.WriteAllText(temp.File("blocker"), "a file, not a folder");
        var r = Tool.Run("prepare", ["--input", temp.File("in"), "--output", temp.File("blocker/t.h5"), "--no-augment"]);
        Tool.AssertOneLineError(r, temp.File("blocker/t.h5"));
    }
}
