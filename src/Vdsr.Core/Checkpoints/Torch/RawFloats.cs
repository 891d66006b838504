using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>Little-endian float32 bytes to and from managed arrays.</summary>
internal static class RawFloats
{
    public static float[] Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
            throw new InvalidDataException($"{bytes.Length} bytes is not a whole number of float32 values");
        if (BitConverter.IsLittleEndian)
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        return values;
    }

    public static void Write(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }
        Span<byte> buffer = stackalloc byte[sizeof(float)];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, v);
            stream.Write(buffer);
        }
    }
}
