namespace Vdsr.Core.Tests.BadInput;

/// <summary>
/// The process's resident memory from /proc/self/status, for bounding what native decoders
/// allocate. The peak (VmHWM) can be reset through /proc/self/clear_refs so one call's peak is seen.
/// </summary>
internal static class ProcessMemory
{
    public static long ResidentBytes => Field("VmRSS:");

    public static long PeakResidentBytes => Field("VmHWM:");

    /// <summary>Sets the peak to the current resident size; false where the kernel does not allow it.</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>How far the resident size rose above its level before <paramref name="action"/> (peak where resettable).</summary>
    public static long PeakGrowthDuring(Action action)
    {
        bool peakReset = TryResetPeak();
        long before = ResidentBytes;
        action();
        long after = peakReset ? PeakResidentBytes : ResidentBytes;
        return Math.Max(0, after - before);
    }

    private static long Field(string name)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(name, StringComparison.Ordinal))
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"/proc/self/status has no {name}");
    }
}
