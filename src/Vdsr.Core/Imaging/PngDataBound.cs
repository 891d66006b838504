using System.Buffers.Binary;
using Vdsr.Core.IO;

namespace Vdsr.Core.Imaging;

/// <summary>
/// The fewest bytes a PNG of a given header can hold its rows in: a file smaller than its rows over
/// <see cref="Deflate.MaxExpansion"/> cannot hold the picture its header claims, and is refused
/// before a buffer of that size is allocated.
/// </summary>
internal static class PngDataBound
{
    /// <summary>The minimum file length for the IHDR at the start of <paramref name="head"/>; 0 when it cannot tell.</summary>
    public static long MinimumFileLength(ReadOnlySpan<byte> head)
    {
        // Signature (8), IHDR length and type (8), then width, height, bit depth, colour type.
        if (head.Length < 26 || !head[12..16].SequenceEqual("IHDR"u8)) return 0;
        long width = BinaryPrimitives.ReadUInt32BigEndian(head[16..]);
        long height = BinaryPrimitives.ReadUInt32BigEndian(head[20..]);
        int channels = head[25] switch { 0 or 3 => 1, 4 => 2, 2 => 3, 6 => 4, _ => 0 };
        int bitDepth = head[24];
        if (channels == 0 || bitDepth is not (1 or 2 or 4 or 8 or 16) || width > int.MaxValue || height > int.MaxValue) return 0;
        long rowBytes = (width * channels * bitDepth + 7) / 8;
        return rowBytes * height / Deflate.MaxExpansion;
    }
}
