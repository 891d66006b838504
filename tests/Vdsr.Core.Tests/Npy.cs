using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Tests;

/// <summary>
/// Reads the C-ordered little-endian .npy arrays (and .npz zips of them) the reference data is
/// stored as: float64, float32 or uint8, format 1.x/2.x.
/// </summary>
internal static partial class Npy
{
    public sealed record Array(long[] Shape, double[] Values)
    {
        /// <summary>An (h, w) or (h, w, c) array as an HWC image.</summary>
        public ImageBuffer<double> ToImageDouble() =>
            new((int)Shape[0], (int)Shape[1], Shape.Length == 3 ? (int)Shape[2] : 1, (double[])Values.Clone());

        public ImageBuffer<byte> ToImageByte() => ToImageDouble().Convert<byte>();

        public TensorData ToTensorData() => new(Shape, Values.Select(v => (float)v).ToArray());
    }

    /// <summary>A float32 array as a tensor (values exact).</summary>
    public static TensorData Read(string path) => ReadArray(File.ReadAllBytes(path), path).ToTensorData();

    /// <summary>Any supported dtype, widened to double.</summary>
    public static Array ReadDouble(string path) => ReadArray(File.ReadAllBytes(path), path);

    /// <summary>Every array of an .npz, keyed by name without the ".npy" suffix.</summary>
    public static Dictionary<string, TensorData> ReadNpz(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var arrays = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var s = entry.Open();
            using var buffer = new MemoryStream();
            s.CopyTo(buffer);
            arrays[Path.GetFileNameWithoutExtension(entry.FullName)] = ReadArray(buffer.ToArray(), $"{path}:{entry.FullName}").ToTensorData();
        }
        return arrays;
    }

    private static Array ReadArray(byte[] bytes, string what)
    {
        if (!bytes.AsSpan().StartsWith("\x93NUMPY"u8)) throw new InvalidDataException($"{what}: not a .npy array");
        byte major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int headerStart = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        if (!header.Contains("'fortran_order': False"))
            throw new InvalidDataException($"{what}: expected a C-ordered array, header {header.Trim()}");
        string descr = DescrPattern().Match(header).Groups[1].Value;
        var shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(long.Parse).ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var data = bytes.AsSpan(headerStart + headerLength);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = descr switch
            {
                "<f8" => BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]),
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]),
                "|u1" => data[i],
                _ => throw new InvalidDataException($"{what}: unsupported dtype {descr}"),
            };
        }
        return new Array(shape, values);
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
