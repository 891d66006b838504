using System.Buffers.Binary;
using Vdsr.Core.Evaluation;
using Vdsr.Core.IO;
using static Vdsr.Tests.Shared.MatBytes;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>Evaluation .mat files that are damaged, of another version, or lack what evaluation reads.</summary>
public sealed class BadMatTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(byte[] bytes, string name = "tiny_x4.mat")
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void Refused(string path, string fragment) => UserErrorAssert.RefusesCheaply(path, () => MatFile.Read(path), fragment);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BuiltFileIsAnEvaluationSample(bool compressed)
    {
        Write(EvalFile(12, compressed));
        var sample = new EvalDataset(_temp.Path, [4]).Samples().Single();
        Assert.Equal(12, sample.GroundTruthY.Height);
    }

    [Fact]
    public void EmptyFileIsRefused() => Refused(Write([]), "not a MATLAB v5 MAT-file");

    [Fact]
    public void UnknownVersionIsRefused() => Refused(Write([.. Header(version: 0x0300), .. DoubleMatrix("im_gt_y", [2, 2], i => i)]), "unknown MAT-file version 0x0300");

    [Fact]
    public void Version73IsRefused() => Refused(Write([.. Header(version: 0x0200)]), "MATLAB v7.3 (HDF5) MAT-files are not supported");

    [Fact]
    public void BigEndianIsRefused() => Refused(Write([.. Header(endian: "MI")]), "big-endian MAT-files are not supported");

    [Theory]
    [InlineData("im_gt_y")]
    [InlineData("im_b_y")]
    public void MissingVariableIsRefused(string missing)
    {
        var other = missing == "im_gt_y" ? "im_b_y" : "im_gt_y";
        string path = Write([.. Header(), .. Compressed(DoubleMatrix(other, [4, 4], i => i))]);
        UserErrorAssert.Refuses(path, () => new EvalDataset(_temp.Path, [4]).Samples().ToList(), $"no variable '{missing}' (expected im_gt_y and im_b_y)");
    }

    [Fact]
    public void CorruptZlibIsRefused()
    {
        var compressed = Compressed(DoubleMatrix("im_gt_y", [8, 8], i => i));
        for (int i = 20; i < 40; i++) compressed[i] ^= 0x5A;
        Refused(Write([.. Header(), .. compressed]), "corrupt compressed element");
    }

    [Fact]
    public void ElementClaimingMoreThanTheFileIsRefused()
    {
        var matrix = DoubleMatrix("im_gt_y", [8, 8], i => i);
        BinaryPrimitives.WriteUInt32LittleEndian(matrix.AsSpan(4), 0x7FFF_FFF0);
        Refused(Write([.. Header(), .. matrix]), "truncated MAT-file (an element runs past the end of the data)");
    }

    [Fact]
    public void CompressedElementClaimingGigabytesIsRefusedBeforeAllocating()
    {
        var matrix = DoubleMatrix("im_gt_y", [8, 8], i => i);
        BinaryPrimitives.WriteUInt32LittleEndian(matrix.AsSpan(4), 0xFFFF_FFF8);
        Refused(Write([.. Header(), .. Compressed(matrix)]), "a compressed element declares 4294967288 bytes, more than its");
    }

    [Fact]
    public void CompressedElementEndingEarlyIsRefused()
    {
        var matrix = DoubleMatrix("im_gt_y", [8, 8], i => i);
        BinaryPrimitives.WriteUInt32LittleEndian(matrix.AsSpan(4), (uint)matrix.Length + 64);
        Refused(Write([.. Header(), .. Compressed(matrix)]), "corrupt compressed element (it ends inside a");
    }

    [Fact]
    public void DimensionsWhoseProductOverflowsAreRefused() =>
        Refused(Write([.. Header(), .. Matrix("im_gt_y", DoubleClass, [65536, 65536, 65536, 65536], MiDouble, new byte[8])]),
            "variable 'im_gt_y' holds 1 values for 65536x65536x65536x65536 elements");

    [Fact]
    public void NameWithALineBreakStaysOnOneLine() =>
        Refused(Write([.. Header(), .. Matrix("im\ngt", DoubleClass, [-1, 2], MiDouble, new byte[16])]), "variable 'im\\ngt' has a negative dimension");

    [Theory]
    [InlineData(false, 100)]
    [InlineData(false, 600)]
    [InlineData(false, -3)]
    [InlineData(true, 100)]
    [InlineData(true, 400)]
    [InlineData(true, -3)]
    public void TruncatedFileIsRefused(bool compressed, int cut)
    {
        var bytes = EvalFile(12, compressed);
        // The first cut falls inside the 128-byte header; the others inside an element, whose tag says how long it is.
        Refused(Write(bytes[..(cut > 0 ? cut : bytes.Length + cut)]), cut == 100 ? "not a MATLAB v5 MAT-file" : "truncated MAT-file (an element runs past the end of the data)");
    }
}
