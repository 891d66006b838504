using Vdsr.Cli;

namespace Vdsr.Tools.Tests;

/// <summary>`--model pruned` and friends name the models shipped in models/ in every tool.</summary>
public class BundledModelNameTests
{
    [Theory]
    [InlineData("original", "model_epoch_50.pth")]
    [InlineData("pruned", "vdsr_pruned_0.5.safetensors")]
    [InlineData("pruned-onnx", "vdsr_pruned_0.5.onnx")]
    [InlineData("pruned-int8", "vdsr_pruned_0.5_int8.onnx")]
    public void NamesResolveToTheShippedFiles(string name, string file)
    {
        string resolved = ModelOption.Resolve(name);
        Assert.Equal(file, Path.GetFileName(resolved));
        Assert.True(File.Exists(resolved));
    }

    [Fact]
    public void AFileOfThatNameInTheWorkingFolderWins()
    {
        using var temp = new TempFolder();
        string own = temp.File("pruned");
        File.WriteAllText(own, "x");
        string saved = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = temp.Path;
            Assert.Equal(own, Path.GetFullPath(ModelOption.Resolve("pruned")));
        }
        finally
        {
            Environment.CurrentDirectory = saved;
        }
    }

    [Theory]
    [InlineData("pruned", "(convs in fp32", "37.2027")]
    [InlineData("pruned-int8", "(convs in onnxruntime int8)", "37.1964")]
    public void EvalRunsTheNamedModel(string name, string plan, string x2)
    {
        var r = Tool.Run("eval", ["--model", name, "--scale", "2", "--verbose"]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains(plan, r.Stdout);
        // Set5 x2 from the bundled BMPs, measured when the models were shipped
        Assert.Contains($"x2         5    {x2}", r.Stdout);
    }

    [Fact]
    public void ConvertAndTrainTakeTheName()
    {
        using var temp = new TempFolder();
        var convert = Tool.Run("convert", ["pruned", temp.File("plain.safetensors"), "--format", "safetensors"]);
        Assert.True(convert.ExitCode == 0, convert.Stderr + convert.Stdout);
        Assert.Contains("vdsr_pruned_0.5.safetensors", convert.Stdout);
        Assert.Equal([32, 32, 3, 3], Vdsr.Core.Checkpoints.CheckpointFile.Load(temp.File("plain.safetensors"))["residual_layer.0.conv.weight"].Shape);
        // one epoch of the tiny set, not a time budget: a budget spent before the first step (a loaded machine) leaves no checkpoint
        var train = Tool.Run("train", ["--pretrained", "pruned", "--data", TrainingFiles.TinyTrainingSet(temp), "--nEpochs", "1", "--batchSize", "4",
            "--no-val", "--checkpoint-dir", temp.File("ck")]);
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        var checkpoint = Assert.Single(Directory.GetFiles(temp.File("ck"), "*.safetensors"));
        var state = Vdsr.Core.Checkpoints.CheckpointFile.Load(checkpoint);
        Assert.Equal([32, 1, 3, 3], state["input.weight"].Shape);
        Assert.Equal("l1", state.Metadata["pruning.method"]); // the checkpoints of a pruned model keep its record
        Assert.Equal("model_epoch_50.pth", state.Metadata["pruning.source_model"]);

        var ship = Tool.Run("convert", [checkpoint, temp.File("shipped.safetensors"), "--weights-only"]);
        Assert.True(ship.ExitCode == 0, ship.Stderr + ship.Stdout);
        var shipped = Vdsr.Core.Checkpoints.CheckpointFile.Load(temp.File("shipped.safetensors"));
        Assert.Equal(20, shipped.Count); // the weights, no momentum
        Assert.Equal("l1", shipped.Metadata["pruning.method"]);
        Assert.DoesNotContain(shipped.Metadata.Keys, k => k.StartsWith("training.", StringComparison.Ordinal));
        Assert.Equal(state["output.weight"].Data, shipped["output.weight"].Data);
    }
}
