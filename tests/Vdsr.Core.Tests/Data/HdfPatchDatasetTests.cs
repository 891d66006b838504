using PureHDF;
using Vdsr.Core.Data;

namespace Vdsr.Core.Tests.Data;

public class HdfPatchDatasetTests
{
    /// <summary>
    /// h5py_plain.h5 / h5py_gzip.h5 were written by h5py (tests/fixtures/data/make_fixtures.py) in
    /// the original's layout: 70 patches, chunks of 64, maxshape None; data[n,0,i,j] =
    /// (n*1681 + i*41 + j) / 2^17 and label = 1 - data; the second is gzip + shuffle compressed.
    /// </summary>
    [Theory]
    [InlineData("h5py_plain.h5")]
    [InlineData("h5py_gzip.h5")]
    public void ReadsH5pyFilesWithTheirValues(string name)
    {
        using var source = HdfPatchDataset.Open(TestPaths.Fixture("data", name), new HdfPatchDatasetOptions { Seed = 5 });
        Assert.Equal(70, source.PatchCount);
        Assert.Equal(41, source.PatchSize);
        Assert.Equal(64, source.BlockPatches);
        var batches = source.Epoch(0, 16).ToList();
        Assert.Equal([16, 16, 16, 16, 6], batches.Select(b => b.Count));
        var order = new List<long>();
        foreach (var batch in batches)
            for (int k = 0; k < batch.Count; k++)
            {
                long n = (long)Math.Round(batch.Inputs[k * 1681] * 131072.0 / 1681);
                order.Add(n);
                for (int e = 0; e < 1681; e++)
                {
                    float expected = (float)((n * 1681 + e) / 131072.0);
                    Assert.Equal(expected, batch.Inputs[k * 1681 + e]);
                    Assert.Equal((float)(1.0 - expected), batch.Labels[k * 1681 + e]);
                }
            }
        Assert.Equal(Enumerable.Range(0, 70).Select(i => (long)i), order.Order());
        Assert.Equal(source.Plan(0).Order(), order);
    }

    /// <summary>A small file of 5x5 patches whose values say where they are: data = n + e/100, label = -data.</summary>
    private static string WriteNumbered(TempFolder temp, int count, uint chunk)
    {
        var data = new float[count, 1, 5, 5];
        var label = new float[count, 1, 5, 5];
        for (int n = 0; n < count; n++)
            for (int e = 0; e < 25; e++)
            {
                data[n, 0, e / 5, e % 5] = n + e / 100f;
                label[n, 0, e / 5, e % 5] = -(n + e / 100f);
            }
        string path = temp.File($"numbered{count}.h5");
        new H5File
        {
            ["data"] = new H5Dataset(data, chunks: [chunk, 1, 5, 5]),
            ["label"] = new H5Dataset(label, chunks: [chunk, 1, 5, 5]),
        }.Write(path);
        return path;
    }

    private static List<long> Read(string path, HdfPatchDatasetOptions options, int epoch, int batch, long skip = 0)
    {
        using var source = HdfPatchDataset.Open(path, options);
        var order = new List<long>();
        foreach (var b in source.Epoch(epoch, batch, skip))
            for (int k = 0; k < b.Count; k++)
            {
                long n = (long)b.Inputs[k * 25];
                for (int e = 0; e < 25; e++)
                {
                    Assert.Equal(n + e / 100f, b.Inputs[k * 25 + e]);
                    Assert.Equal(-(n + e / 100f), b.Labels[k * 25 + e]);
                }
                order.Add(n);
            }
        return order;
    }

    [Fact]
    public void EachEpochIsAPermutationThatDependsOnlyOnSeedAndEpoch()
    {
        using var temp = new TempFolder();
        string path = WriteNumbered(temp, 1000, 16);
        var options = new HdfPatchDatasetOptions { Seed = 11, WindowPatches = 64, Workers = 2 };
        var e0 = Read(path, options, 0, 32);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), e0.Order());
        Assert.NotEqual(e0.Order(), e0);
        Assert.Equal(e0, Read(path, options, 0, 32));
        Assert.Equal(e0, Read(path, options with { Workers = 0 }, 0, 7));
        Assert.Equal(e0, Read(path, options with { Workers = 3, PrefetchWindows = 1 }, 0, 100));
        var e1 = Read(path, options, 1, 32);
        Assert.Equal(e0.Order(), e1.Order());
        Assert.NotEqual(e0, e1);
        Assert.NotEqual(e0, Read(path, options with { Seed = 12 }, 0, 32));
        // Patches mix across chunks: the first window holds patches of several blocks, not 16 in a row.
        Assert.True(e0.Take(64).Select(n => n / 16).Distinct().Count() > 1);
        // Resuming skips whole batches and continues the same order.
        Assert.Equal(e0.Skip(3 * 32), Read(path, options, 0, 32, skip: 3));
        Assert.Empty(Read(path, options, 0, 32, skip: 40));
    }

    [Fact]
    public void StoppingEarlyStopsTheWorkers()
    {
        using var temp = new TempFolder();
        string path = WriteNumbered(temp, 500, 16);
        using var source = HdfPatchDataset.Open(path, new HdfPatchDatasetOptions { WindowPatches = 32, Workers = 2, PrefetchWindows = 1 });
        Assert.Equal(16, source.Epoch(0, 16).First().Count);
        using var cancel = new CancellationTokenSource();
        var batches = source.Epoch(0, 16, 0, cancel.Token);
        int seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in batches) if (++seen == 3) cancel.Cancel();
        });
        Assert.Equal(3, seen);
    }

    [Fact]
    public void MalformedFilesAreUserErrorsNamingTheFile()
    {
        using var temp = new TempFolder();
        string noLabel = temp.File("nolabel.h5");
        new H5File { ["data"] = new H5Dataset(new float[2, 1, 41, 41]) }.Write(noLabel);
        var e = Assert.Throws<VdsrUserException>(() => HdfPatchDataset.Open(noLabel));
        Assert.Contains(noLabel, e.Message);
        Assert.Contains("label", e.Message);

        string mismatched = temp.File("mismatched.h5");
        new H5File { ["data"] = new H5Dataset(new float[2, 1, 41, 41]), ["label"] = new H5Dataset(new float[3, 1, 41, 41]) }.Write(mismatched);
        e = Assert.Throws<VdsrUserException>(() => HdfPatchDataset.Open(mismatched));
        Assert.Contains(mismatched, e.Message);

        string flat = temp.File("flat.h5");
        new H5File { ["data"] = new H5Dataset(new float[2, 41, 41]), ["label"] = new H5Dataset(new float[2, 41, 41]) }.Write(flat);
        e = Assert.Throws<VdsrUserException>(() => HdfPatchDataset.Open(flat));
        Assert.Contains(flat, e.Message);

        string text = temp.File("text.h5");
        File.WriteAllText(text, "not hdf5");
        e = Assert.Throws<VdsrUserException>(() => HdfPatchDataset.Open(text));
        Assert.Contains(text, e.Message);

        e = Assert.Throws<VdsrUserException>(() => HdfPatchDataset.Open(temp.File("absent.h5")));
        Assert.Contains(temp.File("absent.h5"), e.Message);
    }
}
