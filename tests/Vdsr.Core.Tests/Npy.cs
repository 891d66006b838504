using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Vdsr.Core.Checkpoints;

namespace Vdsr.Core.Tests;

/// <summary>
/// Reads the float32 C-ordered .npy arrays (and .npz zips of them) that the reference data is
/// stored as. Only what the fixtures use: format 1.x/2.x, little-endian '&lt;f4', not Fortran order.
/// </summary>
internal static partial class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static TensorData Read(string path) => Read(File.ReadAllBytes(path), path);

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
            arrays[Path.GetFileNameWithoutExtension(entry.FullName)] = Read(buffer.ToArray(), $"{path}:{entry.FullName}");
        }
        return arrays;
    }

    private static TensorData Read(byte[] bytes, string what)
    {
        if (!bytes.AsSpan().StartsWith(Magic)) throw new InvalidDataException($"{what}: not a .npy array");
        byte major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int headerStart = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        if (!header.Contains("'descr': '<f4'") || !header.Contains("'fortran_order': False"))
            throw new InvalidDataException($"{what}: expected a C-ordered little-endian float32 array, header {header.Trim()}");
        var shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(long.Parse).ToArray();
        var data = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(headerStart + headerLength)).ToArray();
        return new TensorData(shape, data);
    }

    [GeneratedRegex(@"'shape': \(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
