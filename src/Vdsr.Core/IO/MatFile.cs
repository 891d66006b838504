using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Vdsr.Core.IO;

/// <summary>
/// Reads MATLAB level 5 MAT-files (save -v6 / -v7, little-endian, zlib-compressed or not).
/// Only real numeric arrays are returned; cells, structs, char, sparse and complex arrays are skipped.
/// </summary>
public static class MatFile
{
    private const int HeaderLength = 128;

    // MAT-file data types (miXXX).
    private const uint MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6;
    private const uint MiSingle = 7, MiDouble = 9, MiInt64 = 12, MiUInt64 = 13, MiMatrix = 14, MiCompressed = 15;

    private const uint ComplexFlag = 1 << 11, LogicalFlag = 1 << 9;

    public static IReadOnlyDictionary<string, MatArray> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = WholeFile.Read(path, "MAT file");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new VdsrUserException($"{path}: file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{path}: cannot read ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        return Parse(bytes, path);
    }

    private static Dictionary<string, MatArray> Parse(byte[] bytes, string path)
    {
        CheckHeader(bytes, path);
        var variables = new Dictionary<string, MatArray>(StringComparer.Ordinal);
        var reader = new ElementReader(bytes, HeaderLength, path);
        while (reader.HasMore)
        {
            var (type, data) = reader.Next();
            if (type == MiCompressed)
            {
                foreach (var element in Inflate(data, path))
                    AddMatrix(new ElementReader(element, 0, path).Next(), variables, path);
            }
            else
            {
                AddMatrix((type, data), variables, path);
            }
        }
        return variables;
    }

    private static void CheckHeader(byte[] bytes, string path)
    {
        if (bytes.Length < HeaderLength || bytes.AsSpan(0, 4).IndexOf((byte)0) >= 0)
            throw new VdsrUserException($"{path}: not a MATLAB v5 MAT-file");
        if (bytes[126] == 'M' && bytes[127] == 'I')
            throw new VdsrUserException($"{path}: big-endian MAT-files are not supported");
        if (bytes[126] != 'I' || bytes[127] != 'M')
            throw new VdsrUserException($"{path}: not a MATLAB v5 MAT-file");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(124));
        if (version == 0x0200)
            throw new VdsrUserException($"{path}: MATLAB v7.3 (HDF5) MAT-files are not supported; save with -v7");
        if (version != 0x0100)
            throw new VdsrUserException($"{path}: unknown MAT-file version 0x{version:x4} (level 5 files have 0x0100)");
    }

    /// <summary>
    /// The elements a compressed element holds (MATLAB writes one). Each is read at the length its
    /// tag declares, checked first against what deflate can expand the compressed bytes to, so a
    /// tag claiming gigabytes is refused before anything is allocated.
    /// </summary>
    private static List<byte[]> Inflate(ReadOnlyMemory<byte> data, string path)
    {
        long budget = (long)Deflate.MaxExpansion * data.Length + 8;
        var elements = new List<byte[]>();
        try
        {
            using var source = new ZLibStream(new MemoryStream(data.ToArray(), writable: false), CompressionMode.Decompress);
            var tag = new byte[8];
            var padding = new byte[8];
            while (true)
            {
                int got = source.ReadAtLeast(tag, tag.Length, throwOnEndOfStream: false);
                if (got == 0) break;
                if (got < tag.Length) throw new VdsrUserException($"{path}: corrupt compressed element (it ends inside an element tag)");
                uint first = BinaryPrimitives.ReadUInt32LittleEndian(tag);
                long length = first >> 16 != 0 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(tag.AsSpan(4));
                if (8 + length > budget)
                    throw new VdsrUserException($"{path}: a compressed element declares {length} bytes, more than its {data.Length} compressed bytes can hold");
                var element = new byte[8 + length];
                tag.CopyTo(element, 0);
                if (source.ReadAtLeast(element.AsSpan(8), (int)length, throwOnEndOfStream: false) < length)
                    throw new VdsrUserException($"{path}: corrupt compressed element (it ends inside a {length}-byte element)");
                int pad = (int)((8 - length % 8) % 8);
                source.ReadAtLeast(padding.AsSpan(0, pad), pad, throwOnEndOfStream: false);
                budget -= 8 + length + pad;
                elements.Add(element);
            }
        }
        catch (InvalidDataException e)
        {
            throw new VdsrUserException($"{path}: corrupt compressed element ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        return elements;
    }

    private static void AddMatrix((uint Type, ReadOnlyMemory<byte> Data) element, Dictionary<string, MatArray> variables, string path)
    {
        if (element.Type != MiMatrix || element.Data.Length == 0) return;
        var sub = new ElementReader(element.Data, 0, path);
        var (flagsType, flags) = sub.Next();
        var (dimsType, dims) = sub.Next();
        var (nameType, name) = sub.Next();
        if (flagsType != MiUInt32 || flags.Length < 8 || dimsType != MiInt32 || nameType != MiInt8)
            throw new VdsrUserException($"{path}: malformed array header");

        uint flagWord = BinaryPrimitives.ReadUInt32LittleEndian(flags.Span);
        var matClass = (MatClass)(flagWord & 0xFF);
        string variableName = Encoding.ASCII.GetString(name.Span);
        string shownName = ErrorText.OneLine(variableName);
        if (!Enum.IsDefined(matClass) || (flagWord & ComplexFlag) != 0) return;

        var dimensions = new int[dims.Length / 4];
        long count = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32LittleEndian(dims.Span[(4 * i)..]);
            if (dimensions[i] < 0) throw new VdsrUserException($"{path}: variable '{shownName}' has a negative dimension");
            // Saturates instead of overflowing: such a count never matches the values the file holds.
            count = dimensions[i] == 0 ? 0 : count > long.MaxValue / dimensions[i] ? long.MaxValue : count * dimensions[i];
        }
        var (realType, real) = sub.Next();
        var values = ToDoubles(realType, real.Span, path, shownName);
        if (values.Length != count)
            throw new VdsrUserException($"{path}: variable '{shownName}' holds {values.Length} values for {string.Join('x', dimensions)} elements");
        variables[variableName] = new MatArray(variableName, matClass, (flagWord & LogicalFlag) != 0, dimensions, values, path);
    }

    private static double[] ToDoubles(uint type, ReadOnlySpan<byte> data, string path, string name)
    {
        int size = type switch
        {
            MiInt8 or MiUInt8 => 1,
            MiInt16 or MiUInt16 => 2,
            MiInt32 or MiUInt32 or MiSingle => 4,
            MiDouble or MiInt64 or MiUInt64 => 8,
            _ => throw new VdsrUserException($"{path}: variable '{name}' has data of unsupported type {type}"),
        };
        if (data.Length % size != 0)
            throw new VdsrUserException($"{path}: variable '{name}' has {data.Length} data bytes, not a multiple of {size}");
        var values = new double[data.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            var v = data[(i * size)..];
            values[i] = type switch
            {
                MiInt8 => (sbyte)v[0],
                MiUInt8 => v[0],
                MiInt16 => BinaryPrimitives.ReadInt16LittleEndian(v),
                MiUInt16 => BinaryPrimitives.ReadUInt16LittleEndian(v),
                MiInt32 => BinaryPrimitives.ReadInt32LittleEndian(v),
                MiUInt32 => BinaryPrimitives.ReadUInt32LittleEndian(v),
                MiSingle => BinaryPrimitives.ReadSingleLittleEndian(v),
                MiDouble => BinaryPrimitives.ReadDoubleLittleEndian(v),
                MiInt64 => BinaryPrimitives.ReadInt64LittleEndian(v),
                _ => BinaryPrimitives.ReadUInt64LittleEndian(v),
            };
        }
        return values;
    }

    /// <summary>Walks data elements: an 8-byte tag (or a 4-byte small-element tag with the data packed in), data, padding to 8 bytes.</summary>
    private sealed class ElementReader(ReadOnlyMemory<byte> buffer, int start, string path)
    {
        private int _position = start;

        public bool HasMore => _position < buffer.Length;

        public (uint Type, ReadOnlyMemory<byte> Data) Next()
        {
            var span = buffer.Span;
            if (_position + 8 > span.Length) throw Truncated();
            uint first = BinaryPrimitives.ReadUInt32LittleEndian(span[_position..]);
            if (first >> 16 != 0)
            {
                int smallLength = (int)(first >> 16);
                if (smallLength > 4) throw new VdsrUserException($"{path}: malformed small data element");
                var smallData = buffer.Slice(_position + 4, smallLength);
                _position += 8;
                return (first & 0xFFFF, smallData);
            }
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(span[(_position + 4)..]);
            long dataStart = _position + 8L;
            if (dataStart + length > span.Length) throw Truncated();
            var data = buffer.Slice((int)dataStart, (int)length);
            // Compressed elements are not padded; the others are padded to a multiple of 8 bytes.
            long end = first == MiCompressed ? dataStart + length : dataStart + ((length + 7L) & ~7L);
            _position = (int)Math.Min(end, span.Length);
            return (first, data);
        }

        private VdsrUserException Truncated() => new($"{path}: truncated MAT-file (an element runs past the end of the data)");
    }
}
