namespace Vdsr.Core.Data;

public enum TrainingSetStage { Generating, Writing }

/// <summary>
/// Progress of <see cref="TrainingSetBuilder.Build"/>. Generation (cutting the patches into shuffle
/// buckets) comes first, then the HDF5 write; <see cref="Fraction"/> weighs both by patch count.
/// </summary>
public sealed record TrainingSetProgress(
    TrainingSetStage Stage,
    int ImagesDone,
    int ImageCount,
    long PatchesGenerated,
    long PatchesExpected,
    long PatchesWritten,
    long PatchesToWrite,
    TimeSpan Elapsed)
{
    public double Fraction
    {
        get
        {
            double expected = Math.Max(1, Stage == TrainingSetStage.Generating ? PatchesExpected : PatchesGenerated);
            double toWrite = Stage == TrainingSetStage.Generating ? expected : Math.Max(1, PatchesToWrite);
            return Math.Clamp((PatchesGenerated / expected + PatchesWritten / toWrite) / 2, 0, 1);
        }
    }
}
