namespace Vdsr.Core.Data;

/// <summary>What <see cref="TrainingSetBuilder.Build"/> did; SkippedImages lists the files that are not RGB.</summary>
public sealed record TrainingSetSummary(
    string OutputPath,
    int ImagesUsed,
    IReadOnlyList<string> SkippedImages,
    long PatchesGenerated,
    long PatchesWritten,
    long FileBytes,
    TimeSpan Elapsed);
