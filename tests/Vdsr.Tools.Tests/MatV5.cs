using System.Buffers.Binary;
using System.Text;

namespace Vdsr.Tools.Tests;

/// <summary>Writes the smallest uncompressed MATLAB v5 file: one 1x1 double variable.</summary>
internal static class MatV5
{
    public static byte[] OneDouble(string name, double value)
    {
        using var stream = new MemoryStream();
        var header = new byte[128];
        Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, written by the VDSR tests".PadRight(116)).CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(124), 0x0100);
        header[126] = (byte)'I';
        header[127] = (byte)'M';
        stream.Write(header);

        var body = new MemoryStream();
        Element(body, 6, [6, 0, 0, 0, 0, 0, 0, 0]);                        // array flags: mxDOUBLE_CLASS
        Element(body, 5, [1, 0, 0, 0, 1, 0, 0, 0]);                        // dimensions 1x1
        Element(body, 1, Encoding.ASCII.GetBytes(name));                   // name
        Element(body, 9, BitConverter.GetBytes(value));                    // real part
        Element(stream, 14, body.ToArray());                               // miMATRIX
        return stream.ToArray();
    }

    private static void Element(Stream stream, int type, byte[] data)
    {
        Span<byte> tag = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tag, type);
        BinaryPrimitives.WriteInt32LittleEndian(tag[4..], data.Length);
        stream.Write(tag);
        stream.Write(data);
        int pad = (8 - data.Length % 8) % 8;
        stream.Write(new byte[pad]);
    }
}
