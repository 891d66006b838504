using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Tests;

/// <summary>Minimal reader of NumPy .npy files (version 1/2, C order, little-endian float64 / float32 / uint8).</summary>
internal static partial class Npy
{
    public sealed record Array(int[] Shape, double[] Values)
    {
        /// <summary>An (h, w) or (h, w, c) array as an HWC image.</summary>
        public ImageBuffer<double> ToImageDouble() =>
            new(Shape[0], Shape[1], Shape.Length == 3 ? Shape[2] : 1, (double[])Values.Clone());

        public ImageBuffer<byte> ToImageByte() => ToImageDouble().Convert<byte>();
    }

    public static Array Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not a .npy file");
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        string header = Encoding.ASCII.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        string descr = DescrPattern().Match(header).Groups[1].Value;
        if (header.Contains("'fortran_order': True")) throw new InvalidDataException($"{path}: Fortran order");
        var shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        int count = shape.Aggregate(1, (a, b) => a * b);
        var data = bytes.AsSpan(dataStart);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = descr switch
            {
                "<f8" => BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]),
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]),
                "|u1" => data[i],
                _ => throw new InvalidDataException($"{path}: unsupported dtype {descr}"),
            };
        }
        return new Array(shape, values);
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
