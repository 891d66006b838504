using System.Buffers.Binary;

namespace Vdsr.Core.Imaging;

/// <summary>
/// Writes 24-bit uncompressed BMP, the format of Set5 and T91 (Skia decodes BMP but has no BMP
/// encoder). Rows are stored bottom-up in BGR order, each padded to a multiple of 4 bytes.
/// </summary>
internal static class BmpEncoder
{
    private const int HeaderSize = 14 + 40;

    public static void Write(Stream stream, ReadOnlySpan<byte> rgba, int width, int height)
    {
        int rowSize = (3 * width + 3) & ~3;
        long imageSize = (long)rowSize * height;
        if (HeaderSize + imageSize > uint.MaxValue) throw new ArgumentException($"a {width}x{height} image is too large for BMP");
        var header = new byte[HeaderSize];
        header[0] = (byte)'B';
        header[1] = (byte)'M';
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(2), (uint)(HeaderSize + imageSize));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(10), HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(22), height);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(26), 1);  // planes
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), 24); // bits per pixel
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(34), (uint)imageSize);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(38), 2835); // 72 dpi
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(42), 2835);
        stream.Write(header);

        var row = new byte[rowSize];
        for (int y = height - 1; y >= 0; y--)
        {
            var source = rgba.Slice(4 * width * y, 4 * width);
            for (int x = 0; x < width; x++)
            {
                row[3 * x] = source[4 * x + 2];
                row[3 * x + 1] = source[4 * x + 1];
                row[3 * x + 2] = source[4 * x];
            }
            stream.Write(row);
        }
    }
}
