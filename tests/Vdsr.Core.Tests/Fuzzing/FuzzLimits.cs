namespace Vdsr.Core.Tests.Fuzzing;

/// <summary>
/// How long one format is fuzzed and what one read may cost. A read may allocate at most
/// <see cref="AllocationPerFileByte"/> times the mutant's size plus <see cref="AllocationBase"/>
/// managed bytes; <see cref="MaxResidentGrowth"/>, where set, bounds the process's resident peak
/// during the read (for native decoders, whose memory the managed count does not see).
/// </summary>
internal sealed record FuzzLimits
{
    /// <summary>VDSR_FUZZ_SCALE multiplies iterations and time cap for a longer run by hand; CI runs at 1.</summary>
    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("VDSR_FUZZ_SCALE"), out int s) && s > 0 ? s : 1;

    /// <summary>VDSR_FUZZ_SEED picks another fixed sequence of mutants (default 1).</summary>
    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable("VDSR_FUZZ_SEED"), out int seed) ? seed : 1;

    public int Iterations { get; init; } = 3000 * Scale;
    public TimeSpan TimeCap { get; init; } = TimeSpan.FromSeconds(12 * Scale);
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public long AllocationBase { get; init; } = 64L << 20;
    public long AllocationPerFileByte { get; init; } = 16;
    public long? MaxResidentGrowth { get; init; }

    public long AllocationLimit(long fileLength) => AllocationBase + AllocationPerFileByte * fileLength;
}
