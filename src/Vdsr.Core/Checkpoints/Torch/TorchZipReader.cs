using System.IO.Compression;
using Vdsr.Core.IO;

namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>
/// Reads the zip format of torch.save (torch >= 1.6): `&lt;top&gt;/data.pkl` plus one raw
/// little-endian file per storage at `&lt;top&gt;/data/&lt;key&gt;`. The top folder is named
/// after the file it was saved as, so it is found rather than assumed.
/// </summary>
internal static class TorchZipReader
{
    /// <summary>The pickle of a VDSR checkpoint is a few KB; far larger is not a checkpoint.</summary>
    private const long MaxPickleBytes = 64 << 20;

    private const long MaxSmallEntryBytes = 64;

    public static StateDict Read(Stream stream)
    {
        long entryLimit = Math.Min(Array.MaxLength, (long)Deflate.MaxExpansion * stream.Length);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            _ = zip.Entries; // the central directory is read here, not in the constructor
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"damaged or truncated zip archive ({e.Message})", e);
        }
        using (zip)
        {
            var pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)
                                                 && e.FullName.Count(c => c == '/') == 1).ToList();
            if (pickles.Count != 1)
                throw new InvalidDataException(pickles.Count == 0
                    ? "zip archive has no <name>/data.pkl, so it is not a PyTorch checkpoint"
                    : "zip archive has several <name>/data.pkl files");
            string top = pickles[0].FullName[..^"data.pkl".Length];

            var byteOrder = zip.GetEntry(top + "byteorder");
            if (byteOrder is not null && ReadAll(byteOrder, MaxSmallEntryBytes).AsSpan().SequenceEqual("big"u8))
                throw new InvalidDataException("was written on a big-endian machine, which is not supported");

            var storages = new Dictionary<string, StorageRef>(StringComparer.Ordinal);
            var unpickler = new TorchUnpickler(storages, python2Strings: false);
            var pickle = ReadAll(pickles[0], Math.Min(MaxPickleBytes, entryLimit));
            var (root, end) = unpickler.LoadAt(pickle, 0);
            if (end != pickle.Length)
                throw new InvalidDataException("data.pkl has bytes after the end of its pickle");
            var found = TorchObjectGraph.Extract(root, unpickler);

            var data = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var state = new StateDict { Epoch = found.Epoch };
            foreach (var (name, view) in found.Tensors)
            {
                var storage = view.Storage;
                if (!data.TryGetValue(storage.Key, out var values))
                {
                    if (storage.StorageType != "torch.FloatStorage")
                        throw new InvalidDataException($"storage '{storage.Key}' is {storage.StorageType}; only float32 is supported");
                    var entry = zip.GetEntry(top + "data/" + storage.Key)
                        ?? throw new InvalidDataException($"tensor '{name}' uses storage '{storage.Key}', but the archive has no {top}data/{storage.Key}");
                    if (storage.ElementCount is < 0 or > int.MaxValue || entry.Length != storage.ElementCount * sizeof(float))
                        throw new InvalidDataException($"{entry.FullName} holds {entry.Length} bytes but its tensors declare {storage.ElementCount} float32 values");
                    values = RawFloats.Read(ReadAll(entry, entryLimit));
                    data[storage.Key] = values;
                }
                state.Add(name, StorageViews.Materialize(name, view, values));
            }
            return state;
        }
    }

    /// <summary>
    /// Reads an entry of at most <paramref name="limit"/> bytes. The declared length comes from the
    /// file, so it is checked before the buffer is allocated; the entry's stream ends at that length
    /// however far its data would inflate, and the CRC then tells a damaged or padded entry apart.
    /// </summary>
    private static byte[] ReadAll(ZipArchiveEntry entry, long limit)
    {
        if (entry.Length > limit)
            throw new InvalidDataException($"zip entry {entry.FullName} declares {entry.Length} bytes, more than the {limit} it may hold");
        var bytes = new byte[entry.Length];
        int read;
        try
        {
            using var s = entry.Open();
            read = s.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"damaged zip entry {entry.FullName} ({e.Message})", e);
        }
        if (read < bytes.Length)
            throw new InvalidDataException($"zip entry {entry.FullName} holds {read} bytes, not the {entry.Length} it declares");
        if (ZipCrc32.Of(bytes) != entry.Crc32)
            throw new InvalidDataException($"damaged zip entry {entry.FullName} (its CRC-32 does not match its content)");
        return bytes;
    }
}
