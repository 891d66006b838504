using System.Text.Json;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Training;

namespace Vdsr.Tools.Tests;

public class PruneToolTests
{
    private static readonly string[] Quick = ["--no-eval", "--timing-repeats", "0"];

    [Fact]
    public void PrunesTheBundledModelToThePublishedShapeAndOtherToolsLoadIt()
    {
        using var temp = new TempFolder();
        string output = temp.File("out/pruned.safetensors"), json = temp.File("report.json");
        var r = Tool.Run("prune", ["--sparsity", "0.5", "--output", output, "--json", json, .. Quick]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("20 layers x 64 filters -> 20 layers x 32 filters, 166,464 of 664,704 parameters", r.Stdout);

        Assert.InRange(new FileInfo(output).Length, 600_000, 700_000);
        var state = CheckpointFile.Load(output);
        Assert.Equal(166_464, ModelStore.ArchitectureOf(state, output).ParameterCount);
        Assert.Equal(new long[] { 32, 32, 3, 3 }, state["residual_layer.17.conv.weight"].Shape);
        Assert.Equal("l1", state.Metadata["pruning.method"]);
        Assert.Equal("pruned", state.Metadata["pruning.stage"]);
        Assert.Equal("""[{"sparsity_per_layer":0.5,"op_types":["Conv2d"]}]""", state.Metadata["pruning.config"]);

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var models = report.RootElement.GetProperty("models");
        Assert.Equal(664_704, models[0].GetProperty("parameters").GetInt64());
        Assert.Equal(166_464, models[1].GetProperty("parameters").GetInt64());

        string val = TrainingFiles.TinyValidationFolder(temp);
        var eval = Tool.Run("eval", ["--model", output, "--dataset", val, "--scale", "2"]);
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var convert = Tool.Run("convert", [output, temp.File("plain.safetensors"), "--format", "safetensors"]);
        Assert.True(convert.ExitCode == 0, convert.Stderr);
    }

    [Fact]
    public void LevelPrunerKeepsShapesAndZeroesHalfTheWeights()
    {
        using var temp = new TempFolder();
        string output = temp.File("level.safetensors");
        var r = Tool.Run("prune", ["--pruner", "level", "--output", output, .. Quick]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var state = CheckpointFile.Load(output);
        Assert.Equal(VdsrArchitecture.Original, ModelStore.ArchitectureOf(state, output));
        Assert.Equal(664_704 / 2, state.Entries.Sum(e => e.Value.Data.Count(v => v == 0)));
    }

    public static TheoryData<string[], string> BadSettings => new()
    {
        { ["--sparsity", "1"], "sparsity 1 must be in [0, 1)" },
        { ["--sparsity", "-0.2"], "must be in [0, 1)" },
        { ["--op-names", "residual_layer.40.conv"], "no layer is named 'residual_layer.40.conv'" },
        { ["--op-names", "input", "--exclude", "input"], "leaves no layer to prune" },
        { ["--total-sparsity", "0.9", "--max-sparsity-per-layer", "1"], "remove every filter of layer" },
        { ["--sparsity", "0.5", "--total-sparsity", "0.5"], "give one of --sparsity" },
        { ["--pruner", "level", "--mode", "balance"], "balance mode needs a balance granularity" },
        { ["--pruner", "l1", "--mode", "balance"], "mode 'balance' is not one of the l1 pruner's modes" },
        { ["--distill"], "--distill needs fine-tuning" },
        { ["--model", "no/such/model.pth"], "model file not found" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void BadSettingsGiveOneLineAndNoOutput(string[] args, string fragment)
    {
        using var temp = new TempFolder();
        string output = temp.File("out/pruned.safetensors");
        var r = Tool.Run("prune", [.. args, "--output", output, .. Quick]);
        Tool.AssertOneLineError(r, fragment);
        Assert.Equal(1, r.ExitCode);
        Assert.Empty(temp.Files());
        Assert.False(Directory.Exists(temp.File("out")));
    }

    [Theory]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": [\"Conv2d\"]", "not valid JSON")]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": [\"Conv2d\"], \"op_names\": [\"decoder\"]}]", "no layer is named 'decoder'")]
    [InlineData("[{\"sparsity\": 0.5, \"op_typs\": [\"Conv2d\"]}]", "unknown key 'op_typs'")]
    public void MalformedConfigFilesGiveOneLineNamingTheFile(string json, string fragment)
    {
        using var temp = new TempFolder();
        string config = temp.File("config.json"), output = temp.File("pruned.safetensors");
        File.WriteAllText(config, json);
        var r = Tool.Run("prune", ["--config", config, "--output", output, .. Quick]);
        Tool.AssertOneLineError(r, config, fragment);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ConfigFileReplacesTheSelectionFlags()
    {
        using var temp = new TempFolder();
        string config = temp.File("config.json"), output = temp.File("pruned.safetensors");
        File.WriteAllText(config, """[{"sparsity": 0.25, "op_partial_names": ["residual_layer"]}]""");
        var r = Tool.Run("prune", ["--config", config, "--output", output, .. Quick]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var architecture = ModelStore.ArchitectureOf(CheckpointFile.Load(output), output);
        Assert.Equal([64, .. Enumerable.Repeat(48, 18)], architecture.HiddenWidths);

        var clash = Tool.Run("prune", ["--config", config, "--sparsity", "0.3", "--output", output, .. Quick]);
        Tool.AssertOneLineError(clash, "--sparsity cannot be combined with --config");
    }

    [Fact]
    public void ReconstructsFineTunesWithDistillationAndResumes()
    {
        using var temp = new TempFolder();
        string data = TrainingFiles.TinyTrainingSet(temp), output = temp.File("pruned.safetensors"), checkpoints = temp.File("ck");
        string[] common = ["--data", data, "--batchSize", "8", "--no-val", "--checkpoint-dir", checkpoints, "--output", output, .. Quick];
        var r = Tool.Run("prune", ["--reconstruct", "--reconstruct-samples", "16", "--nEpochs", "1", "--distill", .. common]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("===> Reconstructed 20 layers from 16 patches", r.Stdout);
        var tuned = CheckpointFile.Load(output);
        Assert.Equal("fine-tuned (distilled)", tuned.Metadata["pruning.stage"]);
        string first = Path.Combine(checkpoints, "model_epoch_1.safetensors");
        var options = TrainingState.ReadOptions(CheckpointFile.Load(first), first);
        Assert.Equal(0.5, options.DistillWeight);
        Assert.Equal(8, options.BatchSize);

        var again = Tool.Run("prune", ["--resume", first, "--nEpochs", "2", "--distill", .. common]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("at epoch 2, iteration 0", again.Stdout);
        Assert.True(File.Exists(Path.Combine(checkpoints, "model_epoch_2.safetensors")));

        var changed = Tool.Run("prune", ["--resume", first, "--nEpochs", "2", "--distill", "0.3", .. common]);
        Tool.AssertOneLineError(changed, "--distill 0.3 differs from 0.5");
    }

    [Fact]
    public void DistillsFromCachedTeacherOutputsBesideTheData()
    {
        using var temp = new TempFolder();
        string data = TrainingFiles.TinyTrainingSet(temp), output = temp.File("pruned.safetensors"), checkpoints = temp.File("ck");
        string[] common = ["--data", data, "--batchSize", "8", "--no-val", "--checkpoint-dir", checkpoints, "--output", output, "--nEpochs", "1", "--distill", .. Quick];
        string cache = Path.Combine(Path.GetDirectoryName(data)!, Path.GetFileNameWithoutExtension(data) + ".teacher.h5");
        var r = Tool.Run("prune", ["--teacher-cache", .. common]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"===> Wrote the teacher's outputs for {data} to {cache}", r.Stdout);
        Assert.True(File.Exists(cache));
        Assert.Equal("fine-tuned (distilled)", CheckpointFile.Load(output).Metadata["pruning.stage"]);

        var again = Tool.Run("prune", ["--teacher-cache", .. common]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains($"===> Reusing the teacher's outputs in {cache}", again.Stdout);

        Tool.AssertOneLineError(Tool.Run("prune", ["--teacher-cache", "--nEpochs", "1", .. Quick]), "--teacher-cache caches the teacher of --distill");
    }
}
