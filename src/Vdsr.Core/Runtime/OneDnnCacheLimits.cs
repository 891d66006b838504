using System.Globalization;
using System.Runtime.InteropServices;

namespace Vdsr.Core.Runtime;

/// <summary>
/// libtorch's CPU convs (oneDNN, and ideep above it) keep compiled kernels for every input shape in
/// caches of 1,024 entries. A folder of pictures of different sizes fills them: vdsr-demo over 200
/// images of 200 sizes grew by about 0.5 MB per size (+107 MB) and levelled off only once sizes
/// repeated. With 16 entries each the same run grew by 31 MB, with 64 by 90 MB; 16 still holds the
/// tile shapes of one image (a 256x256 x4 demo took the same time as with 1,024). The libraries read
/// the sizes from the environment when they first run, so they are set natively before libtorch
/// loads; a size the user set is kept.
/// </summary>
internal static partial class OneDnnCacheLimits
{
    public const int Capacity = 16;

    private static readonly string[] Variables = ["ONEDNN_PRIMITIVE_CACHE_CAPACITY", "LRU_CACHE_CAPACITY"];

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    public static void Apply()
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            foreach (var name in Variables)
                SetEnv(name, Capacity.ToString(CultureInfo.InvariantCulture), overwrite: 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc setenv: the libraries keep their defaults.
        }
    }
}
