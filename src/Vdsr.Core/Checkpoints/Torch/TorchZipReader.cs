using System.IO.Compression;

namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>
/// Reads the zip format of torch.save (torch >= 1.6): `&lt;top&gt;/data.pkl` plus one raw
/// little-endian file per storage at `&lt;top&gt;/data/&lt;key&gt;`. The top folder is named
/// after the file it was saved as, so it is found rather than assumed.
/// </summary>
internal static class TorchZipReader
{
    public static StateDict Read(Stream stream)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
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
            if (byteOrder is not null && ReadAll(byteOrder).AsSpan().SequenceEqual("big"u8))
                throw new InvalidDataException("was written on a big-endian machine, which is not supported");

            var storages = new Dictionary<string, StorageRef>(StringComparer.Ordinal);
            var unpickler = new TorchUnpickler(storages, python2Strings: false);
            var pickle = ReadAll(pickles[0]);
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
                    if (entry.Length != storage.ElementCount * sizeof(float))
                        throw new InvalidDataException($"{entry.FullName} holds {entry.Length} bytes but its tensors declare {storage.ElementCount} float32 values");
                    values = RawFloats.Read(ReadAll(entry));
                    data[storage.Key] = values;
                }
                state.Add(name, StorageViews.Materialize(name, view, values));
            }
            return state;
        }
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        try
        {
            using var s = entry.Open();
            using var buffer = new MemoryStream();
            s.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"damaged zip entry {entry.FullName} ({e.Message})", e);
        }
    }
}
