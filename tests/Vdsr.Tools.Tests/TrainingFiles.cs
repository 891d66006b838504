using PureHDF;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Data;

namespace Vdsr.Tools.Tests;

/// <summary>Tiny training inputs for the vdsr-train tests, made with the core library.</summary>
internal static class TrainingFiles
{
    /// <summary>24 patches of 41x41 (8 per scale 2, 3, 4, no augmentation) cut from one 166x84 image.</summary>
    public static string TinyTrainingSet(TempFolder temp)
    {
        string images = Path.Combine(temp.Path, "train-images");
        Directory.CreateDirectory(images);
        TestImages.WriteRgb(Path.Combine(images, "one.png"), 166, 84);
        string path = temp.File("tiny.h5");
        var options = new TrainingSetOptions
        {
            Patches = new PatchGenerationOptions { Augment = false, Downsizes = [1.0] },
            ChunkPatches = 8,
            Workers = 1,
        };
        var summary = TrainingSetBuilder.Build(images, path, options);
        Assert.Equal(24, summary.PatchesWritten);
        return path;
    }

    /// <summary>A folder with one 32x32 ground-truth image.</summary>
    public static string TinyValidationFolder(TempFolder temp)
    {
        string folder = Path.Combine(temp.Path, "val");
        Directory.CreateDirectory(folder);
        TestImages.WriteRgb(Path.Combine(folder, "small.png"), 32, 32);
        return folder;
    }

    /// <summary>An HDF5 file with the right shapes whose inputs are all NaN.</summary>
    public static string NanTrainingSet(TempFolder temp)
    {
        var inputs = new float[8, 1, 41, 41];
        var labels = new float[8, 1, 41, 41];
        foreach (int i in Enumerable.Range(0, 8))
            for (int y = 0; y < 41; y++)
                for (int x = 0; x < 41; x++)
                    inputs[i, 0, y, x] = float.NaN;
        string path = temp.File("nan.h5");
        new H5File { ["data"] = inputs, ["label"] = labels }.Write(path);
        return path;
    }

    /// <summary>An HDF5 file without the datasets a training file needs.</summary>
    public static string HdfWithoutPatches(TempFolder temp)
    {
        string path = temp.File("other.h5");
        new H5File { ["images"] = new float[2, 3] }.Write(path);
        return path;
    }

    public static string[] CsvLines(string folder) => File.ReadAllLines(Path.Combine(folder, "training_log.csv"));

    /// <summary>Every tensor of a checkpoint (weights and momentum buffers) by name.</summary>
    public static Dictionary<string, float[]> Tensors(string checkpoint) =>
        CheckpointFile.Load(checkpoint).Entries.ToDictionary(e => e.Key, e => e.Value.Data);
}
