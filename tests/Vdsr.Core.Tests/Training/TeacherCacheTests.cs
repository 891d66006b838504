using PureHDF;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Data;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.Training;

public class TeacherCacheTests
{
    public TeacherCacheTests() => TorchRuntime.EnsureInitialized();

    private const int Size = 17;

    private static readonly Lazy<StateDict> StudentWeights = new(() => Weights(VdsrArchitecture.Uniform(3, 16), 11));
    private static readonly Lazy<StateDict> TeacherWeights = new(() => Weights(VdsrArchitecture.Uniform(4, 24), 12));

    private static StateDict Weights(VdsrArchitecture architecture, long seed)
    {
        using var net = Trainer.CreateNetwork(architecture, seed);
        return ModelStore.ToStateDict(net);
    }

    /// <summary>Trains a copy of the student for two epochs of 150 patches in batches of 16; returns every step's loss and the weights.</summary>
    private static (List<double> Losses, StateDict Weights) Train(string data, string? cache, VdsrNet? teacher)
    {
        using var source = HdfPatchDataset.Open(data, new HdfPatchDatasetOptions { Seed = 4, Workers = 0, TeacherOutputsPath = cache });
        using var student = ModelStore.ToNet(StudentWeights.Value, "student");
        var losses = new List<double>();
        var options = new TrainingOptions { BatchSize = 16, Epochs = 2, LearningRate = 0.01, Step = 1, DistillWeight = 0.5, LossReduction = LossReduction.Mean };
        using var trainer = new Trainer(student, source, options,
            new TrainerHooks { Progress = new SynchronousProgress<TrainingProgress>(p => losses.Add(p.Loss)) }, teacher);
        Assert.Equal(TrainingOutcome.Completed, trainer.Run());
        return (losses, ModelStore.ToStateDict(student));
    }

    [Fact]
    public void CachedTeacherOutputsTrainAsTheLiveTeacherStepForStep()
    {
        using var temp = new TempFolder();
        string data = TrainingTestData.WriteHdf(temp, 150);
        string cache = TeacherCache.DefaultPath(data);
        using var teacher = ModelStore.ToNet(TeacherWeights.Value, "teacher");

        var live = Train(data, null, teacher);
        Assert.True(TeacherCache.Ensure(teacher, data, cache));
        var cached = Train(data, cache, teacher: null); // no teacher network: every target must come from the file

        // libtorch's convs round differently at the last bit depending on the batch a patch is in (the cache
        // computes blocks of 64 in file order, live distillation the shuffled training batch): the
        // outputs differ by float32 rounding (measured 2.4e-7), so the runs agree to that, step for step.
        Assert.Equal(20, live.Losses.Count);
        for (int step = 0; step < live.Losses.Count; step++)
            Assert.True(Math.Abs(live.Losses[step] - cached.Losses[step]) <= 1e-6 * live.Losses[step], $"step {step + 1}: loss {live.Losses[step]} live, {cached.Losses[step]} cached");
        foreach (var (name, tensor) in live.Weights.Entries)
            Assert.True(tensor.Data.Zip(cached.Weights[name].Data, (a, b) => Math.Abs(a - b)).Max() <= 1e-6, name);
    }

    [Fact]
    public void TheCacheIsReusedForTheSameTeacherAndDataAndRebuiltForAnother()
    {
        using var temp = new TempFolder();
        string data = TrainingTestData.WriteHdf(temp, 70);
        string cache = TeacherCache.DefaultPath(data);
        Assert.Equal(temp.File("train70.teacher.h5"), cache);
        using var teacher = ModelStore.ToNet(TeacherWeights.Value, "teacher");
        using var other = ModelStore.ToNet(StudentWeights.Value, "other");

        Assert.True(TeacherCache.Ensure(teacher, data, cache));
        var written = File.GetLastWriteTimeUtc(cache);
        Assert.False(TeacherCache.Ensure(teacher, data, cache));
        Assert.Equal(written, File.GetLastWriteTimeUtc(cache));
        Assert.StartsWith("teacher sha256:", TeacherOutputFile.ReadSource(cache));

        Assert.True(TeacherCache.Ensure(other, data, cache));
        Assert.Equal(TeacherCache.Source(other, data, 70, Size), TeacherOutputFile.ReadSource(cache));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp*"));
    }

    [Fact]
    public void TheCachedOutputsAreTheTeachersForwardOfEachPatch()
    {
        using var temp = new TempFolder();
        string data = TrainingTestData.WriteHdf(temp, 70);
        string cache = TeacherCache.DefaultPath(data);
        using var teacher = ModelStore.ToNet(TeacherWeights.Value, "teacher");
        TeacherCache.Ensure(teacher, data, cache);
        using var source = HdfPatchDataset.Open(data, new HdfPatchDatasetOptions { Seed = 9, Workers = 1, TeacherOutputsPath = cache });
        foreach (var batch in source.Epoch(1, 32))
        {
            var expected = TeacherCache.Outputs(teacher, batch.Inputs, batch.Count, Size, TorchSharp.torch.CPU);
            Assert.Equal(expected.Length, batch.TeacherOutputs!.Length);
            Assert.True(expected.Zip(batch.TeacherOutputs, (a, b) => Math.Abs(a - b)).Max() <= 1e-6); // float32 rounding of another batch
            Assert.NotEqual(batch.Labels, batch.TeacherOutputs);
        }
    }

    [Fact]
    public void OutputsOfAnotherTrainingFileAreRefusedInOneLine()
    {
        using var temp = new TempFolder();
        string small = TrainingTestData.WriteHdf(temp, 70), large = TrainingTestData.WriteHdf(temp, 150);
        using var teacher = ModelStore.ToNet(TeacherWeights.Value, "teacher");
        string cache = TeacherCache.DefaultPath(small);
        TeacherCache.Ensure(teacher, small, cache);
        var e = Assert.Throws<VdsrUserException>(() => HdfPatchDataset.Open(large, new HdfPatchDatasetOptions { TeacherOutputsPath = cache }));
        Assert.Equal($"{cache}: teacher outputs are (70, 1, 17, 17) but the training file holds (150, 1, 17, 17)", e.Message);

        var missing = Assert.Throws<VdsrUserException>(() => HdfPatchDataset.Open(large, new HdfPatchDatasetOptions { TeacherOutputsPath = temp.File("none.h5") }));
        Assert.Equal($"{temp.File("none.h5")}: file not found", missing.Message);
        var notTeacher = Assert.Throws<VdsrUserException>(() => HdfPatchDataset.Open(large, new HdfPatchDatasetOptions { TeacherOutputsPath = small }));
        Assert.Equal($"{small}: no dataset 'teacher' (not a file of teacher outputs)", notTeacher.Message);
    }
}
