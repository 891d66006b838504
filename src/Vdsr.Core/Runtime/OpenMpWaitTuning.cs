using System.Globalization;
using System.Runtime.InteropServices;

namespace Vdsr.Core.Runtime;

/// <summary>
/// libtorch's OpenMP threads (GNU libgomp) keep spinning after each parallel op (300,000 turns of a
/// pause loop by default) before they sleep. Inference runs the edge convs and the Winograd convs on
/// .NET threads right after libtorch's ops, and a spinning thread took a share of a core from them:
/// inside a 32-wide bf16 forward the last conv took 2.28 ms, against 0.94 ms on its own (Vdsr.Bench
/// layers). Inference processes set GOMP_SPINCOUNT to <see cref="InferenceSpinCount"/>, still enough
/// for libtorch's back-to-back convs to find their threads awake. libgomp reads it once, when it
/// loads, so it is set natively before libtorch loads; a value or an OMP_WAIT_POLICY the user set is
/// kept. Training keeps libgomp's default.
/// </summary>
internal static partial class OpenMpWaitTuning
{
    public const int InferenceSpinCount = 10_000;

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    public static void Apply(TorchWorkload workload)
    {
        if (!OperatingSystem.IsLinux() || SpinCountFor(workload, Environment.GetEnvironmentVariable) is not string spins) return;
        try
        {
            SetEnv("GOMP_SPINCOUNT", spins, overwrite: 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc setenv: libgomp keeps its default.
        }
    }

    /// <summary>The GOMP_SPINCOUNT to set for <paramref name="workload"/>, or null to leave libgomp as the user's environment has it.</summary>
    public static string? SpinCountFor(TorchWorkload workload, Func<string, string?> environment) =>
        workload == TorchWorkload.Inference && environment("OMP_WAIT_POLICY") is null && environment("GOMP_SPINCOUNT") is null
            ? InferenceSpinCount.ToString(CultureInfo.InvariantCulture)
            : null;
}
