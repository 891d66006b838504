using System.Runtime.InteropServices;
using TorchSharp;

namespace Vdsr.Core.Runtime;

/// <summary>
/// One place that loads libtorch, tunes the native allocator and sets the compute threads,
/// so every tool and test starts the same way and a broken install gives one clear line.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _initialized;

    /// <summary>
    /// libtorch compute threads used when the user gives none: one per logical CPU. Measured on the
    /// project's 2-vCPU machines (bench forward, 256x256): 2 threads ran 1.9x faster than 1.
    /// </summary>
    public static int DefaultComputeThreads => Environment.ProcessorCount;

    /// <param name="workload">
    /// What the process will run; only the first call's counts, because libtorch's threads are
    /// tuned before it loads (<see cref="OpenMpWaitTuning"/>).
    /// </param>
    public static void EnsureInitialized(TorchWorkload workload = TorchWorkload.Training)
    {
        lock (Gate)
        {
            if (_initialized) return;
            NativeAllocatorTuning.Apply();
            OneDnnCacheLimits.Apply();
            OpenMpWaitTuning.Apply(workload);
            ProbeNativeLibrary();
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is not VdsrUserException)
            {
                throw new VdsrUserException($"libtorch could not be initialised: {FirstLine(e.Message)}", e);
            }
            _initialized = true;
        }
    }

    public static void SetComputeThreads(int threads, TorchWorkload workload = TorchWorkload.Training)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        EnsureInitialized(workload);
        torch.set_num_threads(threads);
    }

    /// <summary>
    /// TorchSharp reports a failed native load as "doesn't contain a reference to libtorch";
    /// loading the shim ourselves first surfaces the loader's real reason (e.g. a missing GLIBCXX).
    /// </summary>
    private static void ProbeNativeLibrary()
    {
        var shim = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        if (!File.Exists(shim)) return; // not a linux-x64 build layout; let TorchSharp search.
        try
        {
            NativeLibrary.Load(shim);
        }
        catch (Exception e)
        {
            throw new VdsrUserException($"cannot load libtorch ({shim}): {FirstLine(e.Message)}", e);
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
