using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vdsr.Core.Model.Winograd;

/// <summary>
/// Per-thread scratch buffers kept between calls: fresh megabyte-sized native allocations are
/// fresh pages, and their page faults cost as much as a tile block's arithmetic. The buffers are
/// pinned managed arrays, so the runtime frees them with their thread.
/// </summary>
internal static unsafe class ScratchMemory
{
    private const int Alignment = 64; // one cache line: no vector load splits across two

    [ThreadStatic] private static float[]? t_workspace;
    [ThreadStatic] private static float[]? t_weights;

    /// <summary>The calling thread's block workspace, at least <paramref name="floats"/> long, 64-byte aligned, zero when first allocated.</summary>
    public static float* Workspace(nint floats) => Get(ref t_workspace, floats);

    /// <summary>The calling thread's transformed-weight buffer (contents undefined).</summary>
    public static float* Weights(nint floats) => Get(ref t_weights, floats);

    private static float* Get(ref float[]? slot, nint floats)
    {
        nint needed = floats + Alignment / sizeof(float);
        if (slot is null || slot.Length < needed)
        {
            slot = null; // let the old one go before the new one is allocated
            slot = GC.AllocateArray<float>(checked((int)needed), pinned: true);
        }
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slot));
        return (float*)((address + Alignment - 1) & ~(nint)(Alignment - 1));
    }
}
