using Vdsr.Core.Data;
using Xunit.Abstractions;

namespace Vdsr.Core.Tests.Fuzzing;

/// <summary>
/// Mutants of h5py_gzip.h5 (70 gzip-compressed patches) opened and read through to the last batch.
/// The allocation limit is PureHDF's, not the reader's: PureHDF 2.2.0 allocates a metadata block
/// (a local heap, an object header) at the int size the file states before it checks that size
/// against the file, so a mutated size field costs up to 2 GiB of managed memory for an instant.
/// The reader's own buffers are bounded by the dataset checks of HdfPatchDataset.Open.
/// </summary>
[Trait("Category", "Slow")] // fuzzing, killed processes, convergence: skip locally with --filter "Category!=Slow"
public sealed class HdfFuzzTests(ITestOutputHelper output)
{
    private static readonly FuzzLimits Limits = new() { AllocationBase = (long)int.MaxValue + (64L << 20) };

    [Fact]
    public void MutatedTrainingFilesReadOrAreRefused()
    {
        var original = File.ReadAllBytes(TestPaths.Fixture("data", "h5py_gzip.h5"));
        // Workers = 0 reads on the calling thread, where the allocation is counted.
        var options = new HdfPatchDatasetOptions { Workers = 0, WindowPatches = 64 };
        new FuzzRunner(output, Limits).Run("hdf5", original, ".h5", path =>
        {
            using var source = HdfPatchDataset.Open(path, options);
            foreach (var _ in source.Epoch(0, 16)) { }
        });
    }
}
