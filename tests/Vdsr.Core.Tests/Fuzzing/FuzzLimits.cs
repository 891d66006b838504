namespace Vdsr.Core.Tests.Fuzzing;

/// <summary>
/// How long one format is fuzzed and what one read may cost. A read may allocate at most
/// <see cref="AllocationPerFileByte"/> times the mutant's size plus <see cref="AllocationBase"/>
/// managed bytes; <see cref="MaxResidentGrowth"/>, where set, bounds the process's resident peak
/// during the read (for native decoders, whose memory the managed count does not see).
/// </summary>
internal sealed record FuzzLimits
{
    public int Iterations { get; init; } = 3000;
    public TimeSpan TimeCap { get; init; } = TimeSpan.FromSeconds(12);
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public long AllocationBase { get; init; } = 64L << 20;
    public long AllocationPerFileByte { get; init; } = 16;
    public long? MaxResidentGrowth { get; init; }

    public long AllocationLimit(long fileLength) => AllocationBase + AllocationPerFileByte * fileLength;
}
