using System.IO.Compression;
using Vdsr.Core.Data;
using Vdsr.Core.IO;
using Vdsr.Core.Evaluation;

namespace Vdsr.Core.Tests.IO;

public sealed class MatFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vdsr-matfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Fixture(int scale) => TestPaths.Fixture("set5_mat", $"butterfly_GT_x{scale}.mat");

    [Fact]
    public void ReadsTheSet5Variables()
    {
        var mat = MatFile.Read(Fixture(4));
        Assert.Equal(
            new[] { "im_b", "im_b_y", "im_gt", "im_gt_y", "im_l", "im_l_y", "im_l_ycbcr" },
            mat.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(MatClass.Double, mat["im_gt_y"].Class);
        Assert.Equal(new[] { 252, 252 }, mat["im_gt_y"].Dimensions);
        // generate_test_mat.m keeps im_gt as a double array holding whole numbers (stored as miUINT8).
        Assert.Equal(MatClass.Double, mat["im_gt"].Class);
        Assert.Equal(new[] { 252, 252, 3 }, mat["im_gt"].Dimensions);
        Assert.Equal(new[] { 63, 63, 3 }, mat["im_l_ycbcr"].Dimensions);
    }

    [Fact]
    public void ConvertsColumnMajorToRowMajor()
    {
        // The golden .npy arrays are row-major copies of the x4 file's im_gt_y / im_b_y.
        var mat = MatFile.Read(Fixture(4));
        var gt = Npy.ReadDouble(TestPaths.Fixture("golden", "butterfly_x4_im_gt_y_f64.npy"));
        var bicubic = Npy.ReadDouble(TestPaths.Fixture("golden", "butterfly_x4_im_b_y_f64.npy"));
        Assert.Equal(gt.Values, mat["im_gt_y"].ToImageDouble().Data);
        Assert.Equal(bicubic.Values, mat["im_b_y"].ToImageDouble().Data);
    }

    [Fact]
    public void ByteImageMatchesItsLuma()
    {
        // im_gt_y is rgb2ycbcr(double(im_gt)/255) * 255: check the uint8 RGB plane order through it.
        var mat = MatFile.Read(Fixture(2));
        var rgb = mat["im_gt"].ToImageByte();
        var y = mat["im_gt_y"].ToImageDouble();
        Assert.Equal((y.Height, y.Width, 3), (rgb.Height, rgb.Width, rgb.Channels));
        for (int i = 0; i < y.Data.Length; i += 97)
        {
            double expected = 16 + (65.481 * rgb.Data[3 * i] + 128.553 * rgb.Data[3 * i + 1] + 24.966 * rgb.Data[3 * i + 2]) / 255;
            Assert.Equal(expected, y.Data[i], 1e-9);
        }
    }

    [Fact]
    public void ToImageByteRejectsNonByteValues()
    {
        var mat = MatFile.Read(Fixture(2));
        var e = Assert.Throws<VdsrUserException>(() => mat["im_gt_y"].ToImageByte());
        Assert.Contains("im_gt_y", e.Message);
    }

    [Fact]
    public void ReadsUncompressedElementsSmallTagsAndNarrowStorage()
    {
        // A hand-built v6 (uncompressed) file: a 2x3 double stored as miUINT8, a 1x1 uint8 whose
        // value sits in a packed small element, and a zlib-compressed 2x1 double stored as miINT16.
        var body = new MemoryStream();
        body.Write(Matrix("a", 6, [2, 3], Element(2, [1, 2, 3, 4, 5, 6])));
        body.Write(Matrix("b", 9, [1, 1], SmallElement(2, [200])));
        body.Write(Element(15, ZLib(Matrix("c", 6, [2, 1], Element(3, [0xFE, 0xFF, 0x07, 0x00])))));
        string path = Path.Combine(_folder, "built.mat");
        File.WriteAllBytes(path, [.. Header(), .. body.ToArray()]);

        var mat = MatFile.Read(path);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, mat["a"].Values);
        Assert.Equal(new double[] { 1, 3, 5, 2, 4, 6 }, mat["a"].ToImageDouble().Data);
        Assert.Equal(MatClass.UInt8, mat["b"].Class);
        Assert.Equal(new byte[] { 200 }, mat["b"].ToImageByte().Data);
        Assert.Equal(new double[] { -2, 7 }, mat["c"].Values);
    }

    [Fact]
    public void TruncatedFileIsAUserError()
    {
        var bytes = File.ReadAllBytes(Fixture(4));
        string path = Path.Combine(_folder, "cut.mat");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<VdsrUserException>(() => MatFile.Read(path));
        Assert.Contains("cut.mat", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void NonMatFileIsAUserError()
    {
        string path = Path.Combine(_folder, "text.mat");
        File.WriteAllText(path, "hello, this is not a MAT-file");
        Assert.Contains("text.mat", Assert.Throws<VdsrUserException>(() => MatFile.Read(path)).Message);
        Assert.Contains("not found", Assert.Throws<VdsrUserException>(() => MatFile.Read(Path.Combine(_folder, "none.mat"))).Message);
    }

    [Fact]
    public void CorruptCompressedDataIsAUserError()
    {
        var bytes = File.ReadAllBytes(Fixture(4));
        for (int i = 200; i < 400; i++) bytes[i] ^= 0x5A;
        string path = Path.Combine(_folder, "corrupt.mat");
        File.WriteAllBytes(path, bytes);
        Assert.Contains("corrupt.mat", Assert.Throws<VdsrUserException>(() => MatFile.Read(path)).Message);
    }

    private static byte[] Header()
    {
        var header = new byte[128];
        Array.Fill(header, (byte)' ', 0, 116);
        "MATLAB 5.0 MAT-file, built by a test"u8.CopyTo(header);
        header[124] = 0x00;
        header[125] = 0x01;
        header[126] = (byte)'I';
        header[127] = (byte)'M';
        return header;
    }

    private static byte[] Element(uint type, byte[] data)
    {
        int padded = type == 15 ? data.Length : (data.Length + 7) / 8 * 8;
        var result = new byte[8 + padded];
        BitConverter.TryWriteBytes(result.AsSpan(0), type);
        BitConverter.TryWriteBytes(result.AsSpan(4), (uint)data.Length);
        data.CopyTo(result, 8);
        return result;
    }

    private static byte[] SmallElement(uint type, byte[] data)
    {
        var result = new byte[8];
        BitConverter.TryWriteBytes(result.AsSpan(0), type | (uint)data.Length << 16);
        data.CopyTo(result, 4);
        return result;
    }

    private static byte[] Matrix(string name, uint matClass, int[] dims, byte[] realPart)
    {
        var flags = new byte[8];
        BitConverter.TryWriteBytes(flags.AsSpan(0), matClass);
        var dimBytes = dims.SelectMany(BitConverter.GetBytes).ToArray();
        byte[] content = [.. Element(6, flags), .. Element(5, dimBytes), .. Element(1, System.Text.Encoding.ASCII.GetBytes(name)), .. realPart];
        return Element(14, content);
    }

    private static byte[] ZLib(byte[] data)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return output.ToArray();
    }
}
