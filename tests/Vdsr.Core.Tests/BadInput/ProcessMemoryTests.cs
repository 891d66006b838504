using System.Runtime.InteropServices;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>The resident-memory bound of the bomb and fuzz tests measures what native code touches.</summary>
[Collection(MemoryMeasuringCollection.Name)]
public sealed class ProcessMemoryTests
{
    [Fact]
    public unsafe void PeakGrowthSeesTouchedNativeMemory()
    {
        const int size = 64 << 20;
        long growth = ProcessMemory.PeakGrowthDuring(() =>
        {
            byte* block = (byte*)NativeMemory.Alloc(size);
            for (int i = 0; i < size; i += 4096) block[i] = 1;
            NativeMemory.Free(block);
        });
        Assert.True(growth >= size * 9L / 10, $"touching {size} native bytes raised the measured peak by only {growth}");
    }
}
