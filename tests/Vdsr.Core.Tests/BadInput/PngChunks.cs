using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>Assembles PNG files chunk by chunk with valid CRCs, for headers and chunks no encoder would write.</summary>
internal static class PngChunks
{
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>An IHDR of 8-bit RGB with the given size.</summary>
    public static byte[] Header(uint width, uint height)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(data, width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), height);
        data[8] = 8; // bit depth
        data[9] = 2; // colour type RGB
        return Chunk("IHDR", data);
    }

    public static byte[] ZLib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(data);
        return output.ToArray();
    }

    /// <summary>Zlib-compressed zeros, written in pieces so the test never holds them uncompressed.</summary>
    public static byte[] ZLibZeros(long count)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (long left = count; left > 0; left -= zeros.Length) z.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
        }
        return output.ToArray();
    }

    /// <summary><paramref name="png"/> with <paramref name="chunk"/> inserted right after IHDR.</summary>
    public static byte[] InsertAfterHeader(byte[] png, byte[] chunk)
    {
        int afterHeader = Signature.Length + 12 + BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(Signature.Length));
        return [.. png.AsSpan(0, afterHeader), .. chunk, .. png.AsSpan(afterHeader)];
    }

    /// <summary>
    /// A copy of <paramref name="png"/> with the CRC of every chunk that lies whole within the
    /// file recomputed, so that a mutation reaches the decoder instead of failing the CRC check.
    /// </summary>
    public static byte[] WithCrcsFixed(byte[] png)
    {
        var fixedPng = png.ToArray();
        for (long at = Signature.Length; at + 12 <= fixedPng.Length;)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(fixedPng.AsSpan((int)at));
            if (at + 12 + length > fixedPng.Length) break;
            BinaryPrimitives.WriteUInt32BigEndian(fixedPng.AsSpan((int)(at + 8 + length)), Crc32(fixedPng.AsSpan((int)at + 4, (int)length + 4)));
            at += 12 + length;
        }
        return fixedPng;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
