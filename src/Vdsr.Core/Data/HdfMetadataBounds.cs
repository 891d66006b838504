using System.Buffers.Binary;

namespace Vdsr.Core.Data;

/// <summary>
/// Checks the sizes an HDF5 file states for its first metadata blocks against the file's length
/// before PureHDF reads it: PureHDF allocates a block at the size the file states (up to 2 GiB
/// from a damaged 20 KB file) before comparing it with the file. Covered: the version 0/1
/// superblock (end-of-file address, root group addresses) and the root group's local heap (its
/// data segment), the layout h5py writes. Other layouts pass unchecked.
/// </summary>
public static class HdfMetadataBounds
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Throws a one-line <see cref="VdsrUserException"/> when a checked size or address lies beyond the file.</summary>
    public static void Check(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        long length = file.Length;
        var superblock = new byte[Math.Min(length, 256)];
        file.ReadExactly(superblock);
        if (superblock.Length < 96 || !superblock.AsSpan(0, 8).SequenceEqual(Signature)) return; // PureHDF words the rest
        byte version = superblock[8];
        int offsets = superblock[13], lengths = superblock[14];
        if (version > 1 || offsets != 8 || lengths != 8) return;
        int at = version == 0 ? 24 : 28; // v1 adds the indexed-storage K and 2 reserved bytes
        ulong endOfFile = U64(superblock, at + 16);
        if (endOfFile > (ulong)length)
            throw Beyond(path, $"the superblock says the file has {endOfFile} bytes, it has {length} (truncated?)");
        int rootEntry = at + 32;
        if (rootEntry + 40 > superblock.Length) return;
        ulong rootHeader = U64(superblock, rootEntry + 8);
        uint cacheType = BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(rootEntry + 16));
        if (rootHeader >= (ulong)length) throw Beyond(path, $"the root group's object header at {rootHeader} lies beyond the file's {length} bytes");
        if (cacheType != 1) return;
        ulong heapAddress = U64(superblock, rootEntry + 32);
        if (heapAddress == ulong.MaxValue) return;
        if (heapAddress + 32 > (ulong)length) throw Beyond(path, $"the root group's local heap at {heapAddress} lies beyond the file's {length} bytes");
        var heap = new byte[32];
        file.Position = (long)heapAddress;
        file.ReadExactly(heap);
        if (!heap.AsSpan(0, 4).SequenceEqual("HEAP"u8)) return;
        ulong dataSize = U64(heap, 8), dataAddress = U64(heap, 24);
        if (dataSize > (ulong)length || dataAddress > (ulong)length - dataSize)
            throw Beyond(path, $"the local heap at {heapAddress} claims {dataSize} bytes at {dataAddress}, beyond the file's {length} bytes");
    }

    private static ulong U64(byte[] bytes, int at) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));

    private static VdsrUserException Beyond(string path, string what) => new($"{path}: damaged HDF5 file ({what})");
}
