namespace Vdsr.Tools.Tests;

public class EvalToolTests
{
    [Fact]
    public void MissingDatasetFolder()
    {
        var r = Tool.Run("eval", ["--dataset", "/nonexistent/set"]);
        Tool.AssertOneLineError(r, "/nonexistent/set", "not found");
    }

    [Fact]
    public void FolderWithoutImages()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("readme.txt"), "nothing here");
        Tool.AssertOneLineError(Tool.Run("eval", ["--dataset", temp.Path]), temp.Path, "no evaluation inputs");
    }

    [Fact]
    public void CorruptImage()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("broken.png"), "this is not a png");
        Tool.AssertOneLineError(Tool.Run("eval", ["--dataset", temp.Path, "--scale", "2"]), temp.File("broken.png"));
    }

    [Fact]
    public void ImageTooSmallForTheScale()
    {
        using var temp = new TempFolder();
        TestImages.WriteRgb(temp.File("tiny.png"), 3, 3);
        Tool.AssertOneLineError(Tool.Run("eval", ["--dataset", temp.Path, "--scale", "4"]), temp.File("tiny.png"), "too small");
    }

    [Fact]
    public void MatFileWithoutTheEvaluationVariables()
    {
        using var temp = new TempFolder();
        string path = temp.File("thing_x2.mat");
        File.WriteAllBytes(path, MatBytes.OneDouble("x", 1.5));
        Tool.AssertOneLineError(Tool.Run("eval", ["--dataset", temp.Path, "--scale", "2"]), path, "im_gt_y");
    }

    [Fact]
    public void ScaleOutOfRange()
    {
        Tool.AssertOneLineError(Tool.Run("eval", ["--scale", "9"]), "--scale");
    }

    [Fact]
    public void CudaOnACpuBuildFailsWithTheOriginalsMessage()
    {
        var r = Tool.Run("eval", ["--cuda", "--scale", "4"]);
        Tool.AssertOneLineError(r, "No GPU found or wrong gpu id, please run without --cuda");
    }

    [Fact]
    public void EvaluatesAFolderOfImagesAndWritesJson()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("hr"));
        TestImages.WriteRgb(temp.File("hr/a.png"), 40, 36);
        string json = temp.File("out.json");
        var r = Tool.Run("eval", ["--dataset", temp.File("hr"), "--scale", "2,3", "--json", json, "--verbose"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("x2", r.Stdout);
        Assert.Contains("x3", r.Stdout);
        var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(2, doc.RootElement.GetProperty("images").GetArrayLength());
        Assert.Equal(2, doc.RootElement.GetProperty("scales").GetArrayLength());
    }

    [Fact]
    public void UnknownPrecision()
    {
        Tool.AssertOneLineError(Tool.Run("eval", ["--precision", "fp16"]), "--precision fp16", "fp32, bf16 or auto");
    }

    [Fact]
    public void UnknownConvAlgorithm()
    {
        Tool.AssertOneLineError(Tool.Run("eval", ["--conv", "fft"]), "--conv fft", "auto, direct or winograd");
    }

    [Fact]
    public void TheTablesSayWhichPrecisionRan()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("hr"));
        TestImages.WriteRgb(temp.File("hr/a.png"), 24, 20);
        var r = Tool.Run("eval", ["--dataset", temp.File("hr"), "--scale", "2", "--precision", "bf16"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("(convs in bf16)", r.Stdout);
        r = Tool.Run("eval", ["--dataset", temp.File("hr"), "--scale", "2", "--conv", "direct"]);
        Assert.Contains("(convs in fp32)", r.Stdout); // eval's default precision: the reference numbers
        r = Tool.Run("eval", ["--dataset", temp.File("hr"), "--scale", "2", "--conv", "winograd"]);
        Assert.Contains("(convs in fp32, winograd)", r.Stdout);
    }
}
