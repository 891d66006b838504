namespace Vdsr.Core.Data;

/// <summary>
/// Training patches served as batches. The order of an epoch is a pure function of the source's
/// seed and the epoch number, so a resumed run can skip to the exact batch it stopped at.
/// </summary>
public interface IPatchBatchSource : IDisposable
{
    /// <summary>Side of the square patches (41 in the original).</summary>
    int PatchSize { get; }

    /// <summary>Number of patches in the source.</summary>
    long PatchCount { get; }

    /// <summary>Number of batches one epoch yields at this batch size (the last partial batch included).</summary>
    long BatchesPerEpoch(int batchSize) => (PatchCount + batchSize - 1) / batchSize;

    /// <summary>The batches of one epoch in its shuffled order, starting after <paramref name="skipBatches"/>.</summary>
    IEnumerable<PatchBatch> Epoch(int epoch, int batchSize, long skipBatches = 0, CancellationToken cancellationToken = default);
}

/// <summary>
/// <paramref name="Count"/> input/label patch pairs, each PatchSize x PatchSize, stored as
/// [Count, 1, PatchSize, PatchSize] float32 in row-major order; <paramref name="TeacherOutputs"/>,
/// when the source has them, are a teacher network's outputs for the inputs, in the same layout.
/// </summary>
public sealed record PatchBatch(float[] Inputs, float[] Labels, int Count, int PatchSize, float[]? TeacherOutputs = null);
