using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;
using Vdsr.Core.Runtime;
using Vdsr.Core.Tests.Imaging;
using Vdsr.Core.Tests.Training;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Pruning;

/// <summary>The whole prune pipeline in process, on a small network and a small training file.</summary>
public class PrunePipelineTests
{
    public PrunePipelineTests() => TorchRuntime.EnsureInitialized();

    private static PruneRequest Request(TempFolder temp, PruneFineTuning? fineTune = null, TimeSpan? budget = null)
    {
        string model = temp.File("teacher.safetensors");
        using (var net = Trainer.CreateNetwork(VdsrArchitecture.Uniform(4, 16), seed: 5))
            CheckpointFile.Save(model, ModelStore.ToStateDict(net));
        string val = temp.File("val");
        Directory.CreateDirectory(val);
        EncodedImages.WriteRgbPng(Path.Combine(val, "ramp.png"), 24, 24, (x, y) => ((byte)(x * 9), (byte)(y * 9), 100));
        return new PruneRequest
        {
            ModelPath = model,
            Settings = new PruningSettings { Config = new PruneConfig([new PruneRule { SparsityPerLayer = 0.5, OpTypes = [PrunableLayers.ConvType] }]) },
            OutputPath = temp.File(Path.Combine("out", "pruned.safetensors")),
            Device = CPU,
            Reconstruct = true,
            ReconstructSamples = 16,
            TrainingDataPath = TrainingTestData.WriteHdf(temp, 70),
            FineTune = fineTune,
            TimeBudget = budget,
            DatasetFolder = val,
            Scales = [2],
            TimingSize = 32,
            TimingRepeats = 1,
        };
    }

    [Fact]
    public void PrunesReconstructsDistilsFromACachedTeacherAndReportsEveryStage()
    {
        using var temp = new TempFolder();
        var fineTune = new PruneFineTuning
        {
            Options = new TrainingOptions { BatchSize = 8, Epochs = 1, LearningRate = 0.01, DistillWeight = 0.5 },
            CheckpointFolder = temp.File("ck"),
            TeacherCachePath = temp.File("train.teacher.h5"),
        };
        var request = Request(temp, fineTune);
        var messages = new List<string>();
        var stages = new List<string>();
        var events = new PrunePipelineEvents { Message = messages.Add, StageStarted = (title, _, _) => stages.Add(title) };

        var report = new PrunePipeline(request, events).Run(CancellationToken.None);

        Assert.Equal(["original", "pruned", "+reconstruct", "+fine-tune+dist"], report.Models.Select(m => m.Name));
        Assert.Equal(["4x16", "4x8", "4x8", "4x8"], report.Models.Select(m => m.Widths));
        Assert.All(report.Models, m => Assert.Equal([2], m.Quality.Select(q => q.Scale)));
        Assert.NotNull(report.Forward);
        Assert.Equal(["Evaluating original", "Evaluating pruned", "Reconstructing", "Evaluating +reconstruct", "Caching teacher outputs", "Evaluating +fine-tune+dist"], stages);
        Assert.Contains(messages, m => m.StartsWith("===> Pruned (l1): ", StringComparison.Ordinal));
        Assert.Contains($"Wrote {request.OutputPath}", messages);
        var saved = CheckpointFile.Load(request.OutputPath);
        Assert.Equal("fine-tuned (distilled)", saved.Metadata[PruningSettings.Prefix + "stage"]);
        Assert.Equal(VdsrArchitecture.Uniform(4, 8), ModelStore.ArchitectureOf(saved, "saved"));
        Assert.True(File.Exists(fineTune.TeacherCachePath));
        Assert.True(File.Exists(Path.Combine(fineTune.CheckpointFolder, "model_epoch_1.safetensors")));
    }

    [Fact]
    public void ASpentTimeBudgetStopsFineTuningAndStillWritesTheModel()
    {
        using var temp = new TempFolder();
        var fineTune = new PruneFineTuning { Options = new TrainingOptions { BatchSize = 8, Epochs = 3 }, CheckpointFolder = temp.File("ck") };
        var request = Request(temp, fineTune, budget: TimeSpan.Zero) with { DatasetFolder = null, TimingRepeats = 0 };
        var messages = new List<string>();

        var report = new PrunePipeline(request, new PrunePipelineEvents { Message = messages.Add }).Run(CancellationToken.None);

        Assert.Contains("===> Stopped: the time budget is spent", messages);
        Assert.Equal("+fine-tune", report.Models[^1].Name);
        Assert.Null(report.Forward);
        Assert.All(report.Models, m => Assert.Empty(m.Quality));
        Assert.Equal("fine-tuned", CheckpointFile.Load(request.OutputPath).Metadata[PruningSettings.Prefix + "stage"]);
    }

    [Fact]
    public void AnOutputThatIsAFolderIsRefusedBeforeAnyWork()
    {
        using var temp = new TempFolder();
        var request = Request(temp);
        Directory.CreateDirectory(request.OutputPath);
        var stages = new List<string>();
        var e = Assert.Throws<VdsrUserException>(() =>
            new PrunePipeline(request, new PrunePipelineEvents { StageStarted = (title, _, _) => stages.Add(title) }).Run(CancellationToken.None));
        Assert.Equal($"{request.OutputPath}: is a folder; give a file name for the pruned model", e.Message);
        Assert.Empty(stages);
    }
}
