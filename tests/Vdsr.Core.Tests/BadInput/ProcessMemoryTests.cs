using System.Runtime.InteropServices;
using Vdsr.Core.Runtime;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>The resident-memory bound of the bomb and fuzz tests measures what native code touches.</summary>
[Collection(MemoryMeasuringCollection.Name)]
public sealed class ProcessMemoryTests
{
    private const int BlockSize = 8 << 20;
    private const int Blocks = 8;

    [Fact]
    public void PeakGrowthSeesTouchedNativeMemory()
    {
        long growth = ProcessMemory.PeakGrowthDuring(() => TouchNative(Blocks, BlockSize));
        AssertSawAll(growth);
    }

    /// <summary>
    /// Once libtorch is loaded, glibc keeps freed blocks resident on its heap (the tools' allocator
    /// tuning), so blocks freed earlier on this thread's arena are reused without a page fault.
    /// Such reuse once made the check above measure 0 bytes on CI.
    /// </summary>
    [Fact]
    public void PeakGrowthSeesNativeMemoryThatReusesFreedHeapBlocks()
    {
        TorchRuntime.EnsureInitialized();
        TouchNative(Blocks, BlockSize);
        long growth = ProcessMemory.PeakGrowthDuring(() => TouchNative(Blocks, BlockSize));
        AssertSawAll(growth);
    }

    private static void AssertSawAll(long growth)
    {
        const long size = (long)Blocks * BlockSize;
        Assert.True(growth >= size * 9 / 10, $"touching {size} native bytes raised the measured peak by only {growth}");
    }

    /// <summary>Blocks small enough for a thread's own malloc arena (larger ones are always fresh mappings).</summary>
    private static unsafe void TouchNative(int count, int size)
    {
        var blocks = new byte*[count];
        for (int b = 0; b < count; b++)
        {
            blocks[b] = (byte*)NativeMemory.Alloc((nuint)size);
            for (int i = 0; i < size; i += 4096) blocks[b][i] = 1;
        }
        foreach (var block in blocks) NativeMemory.Free(block);
    }
}
