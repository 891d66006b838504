using Vdsr.Core.Imaging;

namespace Vdsr.Tools.Tests;

/// <summary>Small image files written for the tests.</summary>
internal static class TestImages
{
    public static void WriteRgb(string path, int width, int height)
    {
        var image = new ImageBuffer<byte>(height, width, 3);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                image[y, x, 0] = (byte)(x * 9);
                image[y, x, 1] = (byte)(y * 7);
                image[y, x, 2] = (byte)((x + y) * 5);
            }
        ImageFile.Save(path, image);
    }

    /// <summary>
    /// A valid PNG whose header claims <paramref name="width"/> x <paramref name="height"/> pixels, with one
    /// tiny IDAT: what a decompression-bomb or a lying file looks like to a reader.
    /// </summary>
    public static void WritePngClaiming(string path, uint width, uint height)
    {
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(file, "IHDR", ihdr);
        WriteChunk(file, "IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
        WriteChunk(file, "IEND", []);
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        stream.Write(length);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        stream.Write(typed);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        stream.Write(crc);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).</summary>
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
