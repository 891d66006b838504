using System.Text.Json;

namespace Vdsr.Tools.Tests;

/// <summary>vdsr-convert to ONNX (float and int8), and vdsr-eval / vdsr-demo on the onnxruntime backend.</summary>
public sealed class OnnxToolsTests
{
    private static string Model => Tool.InRepo("models/model_epoch_50.pth");

    /// <summary>A dataset folder holding one Set5 ground truth (the butterfly, 256x256).</summary>
    private static string OneImageDataset(TempFolder temp)
    {
        string folder = temp.File("hr");
        Directory.CreateDirectory(folder);
        File.Copy(Tool.InRepo("Set5/butterfly_GT.bmp"), Path.Combine(folder, "butterfly_GT.bmp"));
        return folder;
    }

    private static string Convert(TempFolder temp, string format, params string[] extra)
    {
        string path = temp.File(format + ".onnx");
        var r = Tool.Run("convert", [Model, path, "--format", format, .. extra]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"-> {path} (ONNX opset", r.Stdout);
        return path;
    }

    private static double[] EvalPsnrs(string dataset, string json, params string[] extra)
    {
        var r = Tool.Run("eval", ["--dataset", dataset, "--scale", "2,3,4", "--json", json, .. extra]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return doc.RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("psnrVdsr").GetDouble()).ToArray();
    }

    [Fact]
    public void OnnxRuntimeEvaluatesAsTorchDoes()
    {
        using var temp = new TempFolder();
        string dataset = OneImageDataset(temp);
        string onnx = Convert(temp, "onnx");
        var torch = EvalPsnrs(dataset, temp.File("torch.json"));
        var exported = EvalPsnrs(dataset, temp.File("onnx.json"), "--model", onnx);
        var onTheFly = EvalPsnrs(dataset, temp.File("fly.json"), "--backend", "onnxruntime");
        Assert.Equal(3, torch.Length);
        for (int i = 0; i < torch.Length; i++)
        {
            Assert.True(Math.Abs(torch[i] - exported[i]) <= 1e-4, $"x{i + 2}: torch {torch[i]:F6} dB, onnxruntime {exported[i]:F6} dB");
            Assert.Equal(exported[i], onTheFly[i]);
        }
    }

    [Fact]
    public void Int8ModelCalibratedOnAFolderUpscalesAnImage()
    {
        using var temp = new TempFolder();
        string dataset = OneImageDataset(temp);
        string int8 = Convert(temp, "onnx-int8", "--calibration", dataset, "--calibration-samples", "2", "--opset", "13");
        TestImages.WriteRgb(temp.File("photo.png"), 30, 20);

        var r = Tool.Run("demo", ["--image", temp.File("photo.png"), "--scale", "2", "--model", int8, "--output", temp.File("out"), "--threads", "1"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Backend: onnxruntime (int8, 1 threads)", r.Stdout);
        Assert.True(File.Exists(temp.File("out/photo_x2_vdsr.png")));
    }

    [Fact]
    public void Bf16OnOnnxRuntimeIsRefused()
    {
        var r = Tool.Run("eval", ["--backend", "onnxruntime", "--precision", "bf16", "--scale", "4"]);
        Tool.AssertOneLineError(r, "--precision bf16", "use --backend torch for bf16");
    }

    [Fact]
    public void AnOnnxModelOnTheTorchBackendIsRefused()
    {
        using var temp = new TempFolder();
        string onnx = Convert(temp, "onnx");
        Tool.AssertOneLineError(Tool.Run("demo", ["--model", onnx, "--backend", "torch"]), onnx, "--backend onnxruntime");
    }

    [Fact]
    public void CudaOnOnnxRuntimeIsRefused()
    {
        Tool.AssertOneLineError(Tool.Run("eval", ["--backend", "onnxruntime", "--cuda"]), "--cuda", "CPU");
    }

    [Fact]
    public void AConvAlgorithmOnOnnxRuntimeIsRefused()
    {
        Tool.AssertOneLineError(Tool.Run("eval", ["--backend", "onnxruntime", "--conv", "winograd"]), "--conv winograd", "--backend torch");
    }

    [Fact]
    public void AnOpsetOutsideTheRangeIsRefused()
    {
        using var temp = new TempFolder();
        Tool.AssertOneLineError(Tool.Run("convert", [Model, temp.File("x.onnx"), "--format", "onnx", "--opset", "9"]), "--opset 9", "13 to 17");
        Assert.False(File.Exists(temp.File("x.onnx")));
    }

    [Fact]
    public void OnnxRuntimeRunsWithoutLibtorch()
    {
        using var temp = new TempFolder();
        string onnx = Convert(temp, "onnx");
        TestImages.WriteRgb(temp.File("photo.png"), 24, 16);
        string trace = temp.File("ld");

        // The dynamic linker lists every library the process loads.
        var r = Tool.Run("demo", ["--image", temp.File("photo.png"), "--model", onnx, "--output", temp.File("out")],
            environment: new() { ["LD_DEBUG"] = "files", ["LD_DEBUG_OUTPUT"] = trace });

        Assert.True(r.ExitCode == 0, r.Stderr);
        string loaded = string.Concat(Directory.GetFiles(temp.Path, "ld.*").Select(File.ReadAllText));
        Assert.Contains("libonnxruntime.so", loaded); // the trace works: ONNX Runtime was loaded
        Assert.DoesNotContain("libtorch", loaded);
    }
}
