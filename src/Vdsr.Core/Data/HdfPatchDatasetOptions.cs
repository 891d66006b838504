namespace Vdsr.Core.Data;

/// <summary>Settings of <see cref="HdfPatchDataset"/>.</summary>
public sealed record HdfPatchDatasetOptions
{
    /// <summary>Seed of the epoch shuffles; epoch e's order is a pure function of (Seed, e).</summary>
    public long Seed { get; init; }

    /// <summary>Background reader threads (the original's data-loading threads); 0 reads on the consuming thread.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Patches shuffled together: whole chunks are shuffled, then the patches within windows of about this many.</summary>
    public int WindowPatches { get; init; } = 2048;

    /// <summary>
    /// A file of a teacher network's outputs for every patch (see <see cref="TeacherOutputFile"/>),
    /// served with each batch as <see cref="PatchBatch.TeacherOutputs"/>; null serves none.
    /// </summary>
    public string? TeacherOutputsPath { get; init; }

    /// <summary>Windows each worker may have read ahead.</summary>
    public int PrefetchWindows { get; init; } = 2;
}
