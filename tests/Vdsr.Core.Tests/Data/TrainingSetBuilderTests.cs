using PureHDF;
using Vdsr.Core.Tests.Imaging;
using Vdsr.Core.Data;

namespace Vdsr.Core.Tests.Data;

public class TrainingSetBuilderTests
{
    private sealed class Recorder : IProgress<TrainingSetProgress>
    {
        public List<TrainingSetProgress> Reports { get; } = [];
        public void Report(TrainingSetProgress value) { lock (Reports) Reports.Add(value); }
    }

    private static (float[] Data, float[] Label, ulong[] Dims) ReadAll(string path)
    {
        using var file = H5File.OpenRead(path);
        var data = file.Dataset("data");
        var label = file.Dataset("label");
        Assert.Equal(H5DataLayoutClass.Chunked, data.Layout.Class);
        Assert.Equal(new ulong[] { 64, 1, 41, 41 }, data.Layout.Chunks.Take(4));
        Assert.Equal(H5DataTypeClass.FloatingPoint, data.Type.Class);
        Assert.Equal(4, (int)data.Type.Size);
        Assert.Equal(data.Space.Dimensions, label.Space.Dimensions);
        return (data.Read<float[]>(), label.Read<float[]>(), data.Space.Dimensions);
    }

    /// <summary>
    /// Maps each stored (transposed) patch to the oracle patch it equals, each oracle patch used
    /// at most once; checks labels exactly, inputs to 1e-6 where the fixture holds them in full,
    /// and otherwise by their sums.
    /// </summary>
    private static int[] MatchToOracle(float[] data, float[] label, int count, int oracleLimit)
    {
        var oracle = OracleFixture.Load();
        const int a = OracleFixture.Area;
        var used = new bool[oracle.Count];
        var match = new int[count];
        for (int n = 0; n < count; n++)
        {
            // stored[i, j] is the MATLAB patch's (row j, column i).
            double Input(int r, int c) => data[n * a + c * 41 + r];
            double Label(int r, int c) => label[n * a + c * 41 + r];
            var sums = OracleFixture.Checksum(Input);
            match[n] = -1;
            for (int k = 0; k < oracleLimit && match[n] < 0; k++)
            {
                if (used[k]) continue;
                var expected = oracle.InputChecksum(k);
                if (Math.Abs(sums.Sum - expected.Sum) > a * 1e-6 || Math.Abs(sums.Weighted - expected.Weighted) > 7 * a * 1e-6) continue;
                bool same = true;
                for (int r = 0; r < 41 && same; r++)
                    for (int c = 0; c < 41 && same; c++)
                        same = Label(r, c) == (float)oracle.Label(k, r, c)
                            && (!oracle.HasFullInput(k) || Math.Abs(Input(r, c) - oracle.Input(k, r, c)) <= 1e-6);
                if (same) { match[n] = k; used[k] = true; }
            }
            Assert.True(match[n] >= 0, $"stored patch {n} matches no oracle patch");
        }
        return match;
    }

    [Fact]
    public void ThreeImagesGiveAShuffledSubsetOfTheOraclePatches()
    {
        using var temp = new TempFolder();
        string output = temp.File("train.h5");
        var recorder = new Recorder();
        var summary = TrainingSetBuilder.Build(OracleFixture.ImageFolder, output, new TrainingSetOptions { Seed = 7 }, recorder);

        Assert.Equal(3, summary.ImagesUsed);
        Assert.Empty(summary.SkippedImages);
        Assert.Equal(552, summary.PatchesGenerated);
        Assert.Equal(512, summary.PatchesWritten);   // 552 - 552 mod 64, as store2hdf5 drops the tail
        Assert.Equal(new FileInfo(output).Length, summary.FileBytes);
        Assert.Equal(["train.h5"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));

        var (data, label, dims) = ReadAll(output);
        Assert.Equal(new ulong[] { 512, 1, 41, 41 }, dims);
        var match = MatchToOracle(data, label, 512, OracleFixture.Load().Count);
        Assert.NotEqual(match.Order(), match);   // shuffled, not generation order

        var last = recorder.Reports[^1];
        Assert.Equal(TrainingSetStage.Writing, last.Stage);
        Assert.Equal(512, last.PatchesWritten);
        Assert.Equal(3, last.ImagesDone);
        Assert.Equal(1.0, last.Fraction, 9);
        Assert.Contains(recorder.Reports, r => r.Stage == TrainingSetStage.Generating && r.PatchesExpected == 552);

        // Our reader serves every patch once per epoch.
        using var source = HdfPatchDataset.Open(output, new HdfPatchDatasetOptions { Seed = 1, Workers = 2 });
        var firsts = source.Epoch(0, 64).SelectMany(b => Enumerable.Range(0, b.Count).Select(i => b.Inputs[i * OracleFixture.Area])).ToList();
        Assert.Equal(512, firsts.Count);
        Assert.Equal(Enumerable.Range(0, 512).Select(n => data[n * OracleFixture.Area]).Order(), firsts.Order());
    }

    [Fact]
    public void KeepsThePartialChunkOnRequestAndSkipsGrayImages()
    {
        using var temp = new TempFolder();
        string images = Directory.CreateDirectory(temp.File("images")).FullName;
        File.Copy(Path.Combine(OracleFixture.ImageFolder, "t20.bmp"), Path.Combine(images, "t20.bmp"));
        EncodedImages.WriteGrayPng(Path.Combine(images, "gray.png"), 60, 60, (_, _) => 0);

        string output = temp.File("train.h5");
        var summary = TrainingSetBuilder.Build(images, output, new TrainingSetOptions { DropIncompleteChunk = false });
        Assert.Equal([Path.Combine(images, "gray.png")], summary.SkippedImages);
        Assert.Equal(72, summary.PatchesWritten);
        var (data, label, dims) = ReadAll(output);
        Assert.Equal(new ulong[] { 72, 1, 41, 41 }, dims);
        Assert.Equal(Enumerable.Range(0, 72), MatchToOracle(data, label, 72, 72).Order());
    }

    [Fact]
    public void SameSeedSameFileOtherSeedOtherOrder()
    {
        using var temp = new TempFolder();
        float[] Build(string name, long seed)
        {
            TrainingSetBuilder.Build(OracleFixture.ImageFolder, temp.File(name), new TrainingSetOptions { Seed = seed, MaxImages = 1, Workers = 1 });
            return ReadAll(temp.File(name)).Data;
        }
        var a = Build("a.h5", 3);
        Assert.Equal(64 * OracleFixture.Area, a.Length);
        Assert.Equal(a, Build("b.h5", 3));
        Assert.NotEqual(a, Build("c.h5", 4));
    }

    [Fact]
    public void ListsJpgThenBmpThenPngEachByName()
    {
        using var temp = new TempFolder();
        foreach (var name in new[] { "b.png", "a.png", "z.jpg", "c.bmp", "a.bmp", "y.jpg", "notes.txt" })
            File.WriteAllBytes(temp.File(name), []);
        Assert.Equal(["y.jpg", "z.jpg", "a.bmp", "c.bmp", "a.png", "b.png"], TrainingSetBuilder.ListImages(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void BadInputsAreUserErrorsNamingTheFile()
    {
        using var temp = new TempFolder();
        string empty = Directory.CreateDirectory(temp.File("empty")).FullName;
        var e = Assert.Throws<VdsrUserException>(() => TrainingSetBuilder.Build(empty, temp.File("o.h5")));
        Assert.Contains(empty, e.Message);

        string missing = temp.File("missing");
        e = Assert.Throws<VdsrUserException>(() => TrainingSetBuilder.Build(missing, temp.File("o.h5")));
        Assert.Contains(missing, e.Message);

        string broken = Directory.CreateDirectory(temp.File("broken")).FullName;
        File.WriteAllText(Path.Combine(broken, "bad.bmp"), "not an image");
        e = Assert.Throws<VdsrUserException>(() => TrainingSetBuilder.Build(broken, temp.File("o.h5")));
        Assert.Contains(Path.Combine(broken, "bad.bmp"), e.Message);

        string grayOnly = Directory.CreateDirectory(temp.File("gray")).FullName;
        EncodedImages.WriteGrayPng(Path.Combine(grayOnly, "gray.png"), 60, 60, (_, _) => 0);
        e = Assert.Throws<VdsrUserException>(() => TrainingSetBuilder.Build(grayOnly, temp.File("o.h5")));
        Assert.Contains(grayOnly, e.Message);

        string unwritable = Path.Combine(temp.Path, "no-such-folder", "o.h5");
        e = Assert.Throws<VdsrUserException>(() => TrainingSetBuilder.Build(OracleFixture.ImageFolder, unwritable));
        Assert.Contains(unwritable, e.Message);

        e = Assert.Throws<VdsrUserException>(() => TrainingSetBuilder.Build(OracleFixture.ImageFolder, empty));
        Assert.Contains(empty, e.Message);

        // Nothing half-written is left behind.
        Assert.Equal(["broken", "empty", "gray"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName).Order());
    }
}
