using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Vdsr.Tests.Shared;

/// <summary>
/// Writes small MATLAB level 5 MAT-files byte by byte: the 128-byte header, miMATRIX elements
/// (flags, dimensions, name, real part) and, for -v7 files, each variable zlib-compressed.
/// Shared by every test project.
/// </summary>
internal static class MatBytes
{
    public const uint MiInt8 = 1, MiUInt8 = 2, MiInt32 = 5, MiUInt32 = 6, MiDouble = 9, MiMatrix = 14, MiCompressed = 15;
    public const uint DoubleClass = 6, UInt8Class = 9;

    public static byte[] Header(ushort version = 0x0100, string endian = "IM")
    {
        var header = new byte[128];
        Array.Fill(header, (byte)' ', 0, 116);
        "MATLAB 5.0 MAT-file, written by a test"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(124), version);
        header[126] = (byte)endian[0];
        header[127] = (byte)endian[1];
        return header;
    }

    public static byte[] Element(uint type, byte[] data)
    {
        int padded = type == MiCompressed ? data.Length : (data.Length + 7) / 8 * 8;
        var element = new byte[8 + padded];
        BinaryPrimitives.WriteUInt32LittleEndian(element, type);
        BinaryPrimitives.WriteUInt32LittleEndian(element.AsSpan(4), (uint)data.Length);
        data.CopyTo(element, 8);
        return element;
    }

    /// <summary>A real array: its values are stored as <paramref name="storageType"/> in <paramref name="realPart"/>.</summary>
    public static byte[] Matrix(string name, uint matClass, int[] dims, uint storageType, byte[] realPart)
    {
        var flags = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(flags, matClass);
        var dimBytes = new byte[4 * dims.Length];
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(dimBytes.AsSpan(4 * i), dims[i]);
        return Element(MiMatrix, [.. Element(MiUInt32, flags), .. Element(MiInt32, dimBytes), .. Element(MiInt8, Encoding.ASCII.GetBytes(name)), .. Element(storageType, realPart)]);
    }

    public static byte[] DoubleMatrix(string name, int[] dims, Func<int, double> value)
    {
        int count = dims.Aggregate(1, (a, b) => a * b);
        var data = new byte[8 * count];
        for (int i = 0; i < count; i++) BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8 * i), value(i));
        return Matrix(name, DoubleClass, dims, MiDouble, data);
    }

    public static byte[] ByteMatrix(string name, int[] dims, Func<int, byte> value)
    {
        int count = dims.Aggregate(1, (a, b) => a * b);
        return Matrix(name, UInt8Class, dims, MiUInt8, Enumerable.Range(0, count).Select(value).ToArray());
    }

    public static byte[] Compressed(byte[] element) => Element(MiCompressed, ZLib(element));

    public static byte[] ZLib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return output.ToArray();
    }

    /// <summary>The smallest uncompressed file: one 1x1 double variable.</summary>
    public static byte[] OneDouble(string name, double value) => [.. Header(), .. DoubleMatrix(name, [1, 1], _ => value)];

    /// <summary>A Set5-like evaluation file (im_gt_y, im_b_y as double, im_gt as uint8 RGB) of size x size pixels.</summary>
    public static byte[] EvalFile(int size, bool compressed)
    {
        byte[][] variables =
        [
            DoubleMatrix("im_gt_y", [size, size], i => 16 + i % 200),
            DoubleMatrix("im_b_y", [size, size], i => 20 + i % 190),
            ByteMatrix("im_gt", [size, size, 3], i => (byte)(i * 7 % 256)),
        ];
        return [.. Header(), .. variables.SelectMany(v => compressed ? Compressed(v) : v)];
    }
}
