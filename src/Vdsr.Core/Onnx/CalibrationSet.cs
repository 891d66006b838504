using Vdsr.Core.Data;
using Vdsr.Core.Evaluation;

namespace Vdsr.Core.Onnx;

/// <summary>
/// Network inputs (Y/255) that int8 calibration runs the float model on: the input patches of a
/// training HDF5 file (as vdsr-prepare writes, e.g. the bundled data/train.h5), or the bicubic
/// inputs made from a folder of images (or .mat files) at scales 2, 3 and 4, as evaluation makes them.
/// </summary>
public sealed class CalibrationSet
{
    public string Source { get; }
    public string Description { get; }

    /// <summary>Batches of [N, 1, Height, Width] float32 inputs.</summary>
    public IReadOnlyList<CalibrationBatch> Batches { get; }

    private CalibrationSet(string source, string description, IReadOnlyList<CalibrationBatch> batches)
    {
        Source = source;
        Description = description;
        Batches = batches;
    }

    public int SampleCount => Batches.Sum(b => b.Count);

    /// <summary>Reads up to <paramref name="maxSamples"/> inputs from an HDF5 training file or a folder.</summary>
    public static CalibrationSet Load(string path, int maxSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamples, 1);
        if (Directory.Exists(path)) return FromFolder(path, maxSamples);
        if (File.Exists(path)) return FromTrainingFile(path, maxSamples);
        throw new VdsrUserException($"{path}: no such file or folder (expected a training .h5 file or a folder of images)");
    }

    private static CalibrationSet FromTrainingFile(string path, int maxSamples)
    {
        using var data = HdfPatchDataset.Open(path, new HdfPatchDatasetOptions { Workers = 0 });
        var batches = new List<CalibrationBatch>();
        int taken = 0;
        // Epoch 0's shuffled order: patches from across the file, not only its first chunk.
        foreach (var batch in data.Epoch(0, 64))
        {
            int count = Math.Min(batch.Count, maxSamples - taken);
            int pixels = batch.PatchSize * batch.PatchSize;
            batches.Add(new CalibrationBatch(batch.Inputs.AsSpan(0, count * pixels).ToArray(), count, batch.PatchSize, batch.PatchSize));
            taken += count;
            if (taken >= maxSamples) break;
        }
        return new CalibrationSet(path, $"{taken} training patches of {data.PatchSize}x{data.PatchSize} from {Path.GetFileName(path)}", batches);
    }

    private static CalibrationSet FromFolder(string path, int maxSamples)
    {
        var dataset = new EvalDataset(path, [2, 3, 4]);
        var batches = new List<CalibrationBatch>();
        foreach (var sample in dataset.Samples())
        {
            var y = sample.BicubicY;
            var input = new float[y.Data.Length];
            for (int i = 0; i < input.Length; i++) input[i] = (float)(y.Data[i] / 255.0);
            batches.Add(new CalibrationBatch(input, 1, y.Height, y.Width));
            if (batches.Count >= maxSamples) break;
        }
        if (batches.Count == 0) throw new VdsrUserException($"{path}: no images to calibrate on");
        return new CalibrationSet(path, $"{batches.Count} bicubic inputs (x2, x3, x4) from {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", batches);
    }
}

/// <summary><paramref name="Count"/> inputs of <paramref name="Height"/> x <paramref name="Width"/>, [N, 1, H, W] row-major.</summary>
public sealed record CalibrationBatch(float[] Inputs, int Count, int Height, int Width);
