namespace Vdsr.Core.Data;

/// <summary>
/// Small deterministic generator (SplitMix64). Used instead of System.Random so that shuffles
/// stay the same across .NET versions: a data set and an epoch order are functions of the seed.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator whose stream depends on all the given values (e.g. seed, epoch, window).</summary>
    public static SplitMix64 Derive(params long[] values)
    {
        ulong state = 0x5EED_0F_7DA7A5E7UL;
        foreach (long v in values)
            state = Mix(state ^ (ulong)v) + 0x9E3779B97F4A7C15UL;
        return new SplitMix64(state);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [0, bound), without modulo bias (Lemire's multiply-and-reject).</summary>
    public long NextBelow(long bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound));
        ulong b = (ulong)bound;
        ulong threshold = (0 - b) % b;
        while (true)
        {
            ulong x = NextUInt64();
            ulong high = Math.BigMul(x, b, out ulong low);
            if (low >= threshold) return (long)high;
        }
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)NextBelow(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
