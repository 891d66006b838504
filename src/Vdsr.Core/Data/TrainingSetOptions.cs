namespace Vdsr.Core.Data;

/// <summary>Settings of <see cref="TrainingSetBuilder"/>; the defaults reproduce generate_train.m.</summary>
public sealed record TrainingSetOptions
{
    public PatchGenerationOptions Patches { get; init; } = PatchGenerationOptions.Original;

    /// <summary>Seed of the patch permutation (the file is a pure function of the images and the options).</summary>
    public long Seed { get; init; }

    /// <summary>Use only the first N images of the sorted list; 0 = all.</summary>
    public int MaxImages { get; init; }

    /// <summary>Patches per HDF5 chunk (store2hdf5 writes batches of 64).</summary>
    public int ChunkPatches { get; init; } = 64;

    /// <summary>Drop the last (count mod ChunkPatches) patches of the permutation, as the original does.</summary>
    public bool DropIncompleteChunk { get; init; } = true;

    /// <summary>Upper bound on the bytes of one shuffle bucket, which is held in memory while it is written out.</summary>
    public long BucketBytes { get; init; } = 128L << 20;

    /// <summary>Images decoded and cut in parallel (their patches are still stored in file order).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Folder for the temporary shuffle buckets; null = next to the output file.</summary>
    public string? TempFolder { get; init; }
}
