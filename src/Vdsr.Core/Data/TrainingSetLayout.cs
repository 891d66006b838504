namespace Vdsr.Core.Data;

/// <summary>Names and shape of the training HDF5 file (the original's train.h5).</summary>
public static class TrainingSetLayout
{
    public const string InputDataset = "data";
    public const string LabelDataset = "label";

    /// <summary>
    /// Files hold (N, 1, P, P) float32 as h5py sees them. Because MATLAB wrote them column-major,
    /// stored[n, 0, i, j] is the MATLAB patch's (row j, column i): every patch is transposed.
    /// </summary>
    public static ulong[] Dimensions(long patchCount, int patchSize) =>
        [(ulong)patchCount, 1, (ulong)patchSize, (ulong)patchSize];
}
