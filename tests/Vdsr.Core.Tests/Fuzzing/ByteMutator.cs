using System.Buffers.Binary;

namespace Vdsr.Core.Tests.Fuzzing;

/// <summary>
/// Seeded byte-level mutations of a valid file: bit flips, bytes set to boundary values, 32-bit
/// fields overwritten with large values, ranges inserted, deleted or duplicated, truncation.
/// Half of the positions fall in the first or last KiB, where headers, directories and
/// trailers sit; the same seed gives the same mutants.
/// </summary>
internal sealed class ByteMutator(int seed)
{
    private static readonly byte[] BoundaryBytes = [0x00, 0xFF, 0x7F, 0x80];

    private static readonly uint[] LargeValues =
        [0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, 0x40000000, 0x10000000, 0x01000000, 0x00FFFFFF, 0x0000FFFF, 0x00010000];

    private readonly Random _random = new(seed);

    /// <summary>One to three mutations of <paramref name="original"/>, which is left unchanged.</summary>
    public byte[] Mutate(byte[] original)
    {
        var bytes = original.ToArray();
        int mutations = 1 + _random.Next(3);
        for (int i = 0; i < mutations && bytes.Length > 0; i++) bytes = MutateOnce(bytes);
        return bytes;
    }

    private byte[] MutateOnce(byte[] bytes)
    {
        int at = Position(bytes.Length);
        switch (_random.Next(16))
        {
            case 0: case 1: case 2:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                return bytes;
            case 3: case 4: case 5:
                bytes[at] = BoundaryBytes[_random.Next(BoundaryBytes.Length)];
                return bytes;
            case 6: case 7: case 8:
            {
                if (bytes.Length < 4) return bytes;
                at = Math.Min(at, bytes.Length - 4);
                uint value = LargeValues[_random.Next(LargeValues.Length)];
                if (_random.Next(2) == 0) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
                else BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), value);
                return bytes;
            }
            case 9: case 10:
            {
                var inserted = new byte[1 + _random.Next(64)];
                _random.NextBytes(inserted);
                return [.. bytes.AsSpan(0, at), .. inserted, .. bytes.AsSpan(at)];
            }
            case 11: case 12:
            {
                int count = 1 + _random.Next(Math.Min(256, bytes.Length - at));
                return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + count)];
            }
            case 13: case 14:
            {
                int count = 1 + _random.Next(Math.Min(256, bytes.Length - at));
                int to = Position(bytes.Length);
                return [.. bytes.AsSpan(0, to), .. bytes.AsSpan(at, count), .. bytes.AsSpan(to)];
            }
            default:
                return bytes[.._random.Next(bytes.Length)];
        }
    }

    private int Position(int length)
    {
        int edge = Math.Min(1024, length);
        return _random.Next(4) switch
        {
            0 => _random.Next(edge),
            1 => length - 1 - _random.Next(edge),
            _ => _random.Next(length),
        };
    }
}
