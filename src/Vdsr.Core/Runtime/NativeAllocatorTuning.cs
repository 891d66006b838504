using System.Runtime.InteropServices;

namespace Vdsr.Core.Runtime;

/// <summary>
/// glibc malloc serves every large activation with mmap and returns it with munmap, so each conv
/// layer page-faults its whole output again (a 512x512 forward runs 3x slower). Keeping large
/// blocks on the heap is what MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=64G do; mallopt sets the
/// same knobs from inside the process, so users need no environment variables.
/// </summary>
internal static partial class NativeAllocatorTuning
{
    private const int MTrimThreshold = -1;
    private const int MMmapMax = -4;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int param, int value);

    private static bool _applied;

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        _applied = true;
        try
        {
            MallOpt(MMmapMax, 0);
            MallOpt(MTrimThreshold, int.MaxValue);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to tune.
        }
    }

    /// <summary>Sets the knobs again after a test changed them for a measurement; nothing if they were never set.</summary>
    public static void Reapply()
    {
        if (_applied) Apply();
    }
}
