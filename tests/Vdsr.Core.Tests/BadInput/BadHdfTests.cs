using System.Buffers.Binary;
using PureHDF;
using Vdsr.Core.Data;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>Training files that lack a dataset, hold the wrong shape or type, claim more than they hold, or are damaged.</summary>
public sealed class BadHdfTests : IDisposable
{
    private static readonly HdfPatchDatasetOptions InlineReading = new() { Workers = 0, WindowPatches = 64 };

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static void ReadAll(string path)
    {
        using var source = HdfPatchDataset.Open(path, InlineReading);
        foreach (var _ in source.Epoch(0, 16)) { }
    }

    private string Written(H5File file)
    {
        string path = _temp.File("train.h5");
        file.Write(path);
        return path;
    }

    private string GzipFixtureWith(Action<byte[]> edit)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("data", "h5py_gzip.h5"));
        edit(bytes);
        string path = _temp.File("edited.h5");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void MissingDataDatasetIsRefused()
    {
        string path = Written(new H5File { ["label"] = new H5Dataset(new float[2, 1, 41, 41]) });
        UserErrorAssert.Refuses(path, () => ReadAll(path), "no dataset 'data' (a training file needs 'data' and 'label')");
    }

    [Fact]
    public void MissingLabelDatasetIsRefused()
    {
        string path = Written(new H5File { ["data"] = new H5Dataset(new float[2, 1, 41, 41]) });
        UserErrorAssert.Refuses(path, () => ReadAll(path), "no dataset 'label' (a training file needs 'data' and 'label')");
    }

    [Fact]
    public void WrongRankIsRefused()
    {
        string path = Written(new H5File { ["data"] = new H5Dataset(new float[2, 41, 41]), ["label"] = new H5Dataset(new float[2, 41, 41]) });
        UserErrorAssert.Refuses(path, () => ReadAll(path), "'data' is (2, 41, 41), expected (N, 1, P, P)");
    }

    [Fact]
    public void DoubleDataIsRefused()
    {
        string path = Written(new H5File { ["data"] = new H5Dataset(new double[2, 1, 41, 41]), ["label"] = new H5Dataset(new double[2, 1, 41, 41]) });
        UserErrorAssert.Refuses(path, () => ReadAll(path), "'data' is not float32");
    }

    [Fact]
    public void IntegerLabelIsRefused()
    {
        string path = Written(new H5File { ["data"] = new H5Dataset(new float[2, 1, 41, 41]), ["label"] = new H5Dataset(new int[2, 1, 41, 41]) });
        UserErrorAssert.Refuses(path, () => ReadAll(path), "'label' is not float32");
    }

    [Fact]
    public void DifferentCountsAreRefused()
    {
        string path = Written(new H5File { ["data"] = new H5Dataset(new float[2, 1, 41, 41]), ["label"] = new H5Dataset(new float[3, 1, 41, 41]) });
        UserErrorAssert.Refuses(path, () => ReadAll(path), "'data' is (2, 1, 41, 41) but 'label' is (3, 1, 41, 41)");
    }

    [Fact]
    public void ChunkThatFailsToInflateIsRefusedWhenRead()
    {
        // The first 'data' chunk of h5py_gzip.h5 lies at bytes 5328..11038 (h5py's get_chunk_info).
        string path = GzipFixtureWith(bytes =>
        {
            for (int i = 5328 + 200; i < 5328 + 232; i++) bytes[i] ^= 0x5A;
        });
        using (HdfPatchDataset.Open(path, InlineReading)) { } // the metadata is intact
        UserErrorAssert.Refuses(path, () => ReadAll(path), "cannot read patches");
    }

    [Theory]
    [InlineData(600)]
    [InlineData(4000)]
    [InlineData(12000)]
    public void TruncatedFileIsRefused(int length)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("data", "h5py_gzip.h5"));
        string path = _temp.File("cut.h5");
        File.WriteAllBytes(path, bytes[..length]);
        UserErrorAssert.Refuses(path, () => ReadAll(path), "");
    }

    [Fact]
    public void TextFileIsRefused()
    {
        string path = _temp.File("notes.h5");
        File.WriteAllText(path, "not an HDF5 file\n");
        UserErrorAssert.Refuses(path, () => ReadAll(path), "not a readable HDF5 file");
    }

    /// <summary>Rewrites every stored (70, 1, 41, 41) dataspace (current and maximum dims are uint64s).</summary>
    private static int ReplaceDims(byte[] bytes, ulong[] dims)
    {
        var pattern = new byte[32];
        ulong[] original = [70, 1, 41, 41];
        for (int d = 0; d < 4; d++) BinaryPrimitives.WriteUInt64LittleEndian(pattern.AsSpan(8 * d), original[d]);
        int replaced = 0;
        for (int at = bytes.AsSpan().IndexOf(pattern); at >= 0; at = bytes.AsSpan().IndexOf(pattern))
        {
            for (int d = 0; d < 4; d++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 8 * d), dims[d]);
            replaced++;
        }
        return replaced;
    }

    [Fact]
    public void DatasetsClaimingMorePatchesThanTheFileHoldsAreRefusedBeforeAllocating()
    {
        string path = GzipFixtureWith(bytes => Assert.Equal(2, ReplaceDims(bytes, [1_000_000_000, 1, 41, 41])));
        long before = GC.GetAllocatedBytesForCurrentThread();
        UserErrorAssert.Refuses(path, () => ReadAll(path), "'data' and 'label' claim 1000000000 patches of 41x41, more than a 20518-byte file can hold");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 << 20, $"refusing the file allocated {allocated} bytes");
    }

    /// <summary>
    /// Metadata sizes and addresses of h5py_gzip.h5 beyond its 20518 bytes: the root group's local
    /// heap data size (at 0x2b0) raised to 2 GB, which PureHDF allocates before it checks it against
    /// the file, and the superblock's end-of-file address (at 0x28).
    /// </summary>
    [Theory]
    [InlineData(0x2b0, "the local heap at 680 claims 2130706432 bytes at 712, beyond the file's 20518 bytes")]
    [InlineData(0x28, "the superblock says the file has 2130706432 bytes, it has 20518 (truncated?)")]
    public void MetadataSizesBeyondTheFileAreRefusedBeforeAllocating(int offset, string expected)
    {
        string path = GzipFixtureWith(bytes => BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), 0x7F00_0000));
        long before = GC.GetAllocatedBytesForCurrentThread();
        UserErrorAssert.Refuses(path, () => ReadAll(path), expected);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 << 20, $"refusing the file allocated {allocated} bytes");
    }

    [Fact]
    public void HugePatchesAreRefused()
    {
        string path = GzipFixtureWith(bytes => Assert.Equal(2, ReplaceDims(bytes, [70, 1, 100_000, 100_000])));
        UserErrorAssert.Refuses(path, () => ReadAll(path), "patches of 100000x100000 are larger than a training file holds");
    }
}
