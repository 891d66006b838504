using PureHDF;
using Vdsr.Core.Data;

namespace Vdsr.Core.Tests.Training;

/// <summary>Small deterministic patch sets for the training tests.</summary>
internal static class TrainingTestData
{
    /// <summary>
    /// A smooth synthetic label with fine detail and its blurred version as input: the missing
    /// detail is what the net must learn, as VDSR's residual.
    /// </summary>
    public static (float[] Input, float[] Label) BlurredPair(int width, int height)
    {
        var label = new float[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                label[y * width + x] = (float)(0.5 + 0.2 * Math.Sin(0.11 * x + 0.05 * y) + 0.15 * Math.Sin(0.9 * x) * Math.Cos(0.7 * y)
                    + 0.1 * Math.Sign(Math.Sin(0.23 * x - 0.31 * y)));
        var input = new float[label.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double sum = 0;
                int n = 0;
                for (int dy = -2; dy <= 2; dy++)
                    for (int dx = -2; dx <= 2; dx++)
                    {
                        int yy = Math.Clamp(y + dy, 0, height - 1), xx = Math.Clamp(x + dx, 0, width - 1);
                        sum += label[yy * width + xx];
                        n++;
                    }
                input[y * width + x] = (float)(sum / n);
            }
        return (input, label);
    }

    public static InMemoryPatchSource Patches(int count, int patchSize, long seed)
    {
        int width = patchSize * count, height = patchSize;
        var (input, label) = BlurredPair(width, height);
        return InMemoryPatchSource.Cut(input, label, width, height, patchSize, patchSize, seed);
    }

    public const int HdfPatchSize = 17;

    /// <summary>A training file of <paramref name="count"/> (at least 64) 17x17 blurred/sharp pairs in chunks of 64 (the last one partial).</summary>
    public static string WriteHdf(TempFolder temp, int count)
    {
        var (input, label) = TrainingTestData.BlurredPair(HdfPatchSize * count, HdfPatchSize);
        var data = new float[count, 1, HdfPatchSize, HdfPatchSize];
        var labels = new float[count, 1, HdfPatchSize, HdfPatchSize];
        for (int n = 0; n < count; n++)
            for (int y = 0; y < HdfPatchSize; y++)
                for (int x = 0; x < HdfPatchSize; x++)
                {
                    data[n, 0, y, x] = input[y * HdfPatchSize * count + n * HdfPatchSize + x];
                    labels[n, 0, y, x] = label[y * HdfPatchSize * count + n * HdfPatchSize + x];
                }
        string path = temp.File($"train{count}.h5");
        new H5File
        {
            [TrainingSetLayout.InputDataset] = new H5Dataset(data, chunks: [64, 1, HdfPatchSize, HdfPatchSize]),
            [TrainingSetLayout.LabelDataset] = new H5Dataset(labels, chunks: [64, 1, HdfPatchSize, HdfPatchSize]),
        }.Write(path);
        return path;
    }
}
