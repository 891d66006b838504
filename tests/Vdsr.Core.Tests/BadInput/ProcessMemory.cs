using System.Runtime.InteropServices;
using Vdsr.Core.Runtime;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>
/// The process's resident memory from /proc/self/status, for bounding what native decoders
/// allocate. The peak (VmHWM) can be reset through /proc/self/clear_refs so one call's peak is seen.
/// </summary>
internal static partial class ProcessMemory
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
        ReleaseFreeHeapPages();
        bool peakReset = TryResetPeak();
        long before = ResidentBytes;
        action();
        long after = peakReset ? PeakResidentBytes : ResidentBytes;
        return Math.Max(0, after - before);
    }

    /// <summary>
    /// Once libtorch is loaded, glibc keeps freed blocks resident on its heap (the tools' allocator
    /// tuning), and an allocation that reuses them would not raise the resident size at all. This
    /// hands their pages back so that every page the action touches counts: malloc_trim releases
    /// the free blocks of every arena and the top of the main one; the top of this thread's own
    /// arena is only trimmed by a free on it while the trim threshold is low.
    /// </summary>
    public static void ReleaseFreeHeapPages()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            MallOpt(MTrimThreshold, 0);
            unsafe { NativeMemory.Free(NativeMemory.Alloc(256 << 10)); }
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: no heap to trim.
            return;
        }
        finally
        {
            NativeAllocatorTuning.Reapply();
        }
    }

    private const int MTrimThreshold = -1;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int param, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    private static long Field(string name)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(name, StringComparison.Ordinal))
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"/proc/self/status has no {name}");
    }
}
