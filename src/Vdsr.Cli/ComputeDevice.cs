using TorchSharp;

using Vdsr.Core;
using Vdsr.Core.Runtime;

namespace Vdsr.Cli;

/// <summary>Device choice shared by every tool: `--cuda` and `--gpus` as in the original scripts.</summary>
public static class ComputeDevice
{
    /// <summary>True when this build references the CUDA libtorch (dotnet build -p:VdsrCuda=true).</summary>
    public static bool IsCudaBuild =>
#if VDSR_CUDA
        true;
#else
        false;
#endif

    public const string NoGpuMessage = "No GPU found or wrong gpu id, please run without --cuda";

    /// <summary>
    /// CPU unless <paramref name="cuda"/>; then the first id of <paramref name="gpus"/> (e.g. "0" or "0,1").
    /// </summary>
    public static torch.Device Select(bool cuda, string gpus = "0")
    {
        TorchRuntime.EnsureInitialized();
        if (!cuda) return torch.CPU;
        if (!IsCudaBuild)
            throw new VdsrUserException($"{NoGpuMessage} (this is a CPU-only build; rebuild with -p:VdsrCuda=true on a machine with CUDA)");
        var first = (gpus ?? "0").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "0";
        if (!int.TryParse(first, out int id) || id < 0)
            throw new VdsrUserException($"--gpus: '{gpus}' is not a GPU id such as 0 or 0,1");
        if (!torch.cuda.is_available() || id >= torch.cuda.device_count())
            throw new VdsrUserException(NoGpuMessage);
        return torch.device(DeviceType.CUDA, id);
    }
}
