using System.Buffers.Binary;
using System.Collections;
using System.Numerics;

namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>
/// Reads the pre-1.6 torch.save format: five pickles (magic, protocol version, sys_info, the
/// object, the list of storage keys) followed by each storage as an int64 element count and its
/// raw little-endian elements, in the order of that key list.
/// </summary>
internal static class LegacyTorchReader
{
    public static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356"); // 0x1950a86a20f9469cfc6c
    public const int ProtocolVersion = 1001;

    /// <summary>The bytes every legacy file starts with: PROTO 2, LONG1 of 10 bytes holding the magic number.</summary>
    public static ReadOnlySpan<byte> Signature => [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e];

    public static StateDict Read(byte[] file)
    {
        var storages = new Dictionary<string, StorageRef>(StringComparer.Ordinal);
        var unpickler = new TorchUnpickler(storages, python2Strings: true);

        var (magic, pos) = unpickler.LoadAt(file, 0);
        if (magic is not BigInteger m || m != MagicNumber)
            throw new InvalidDataException("not a legacy PyTorch checkpoint (wrong magic number)");
        (var protocol, pos) = unpickler.LoadAt(file, pos);
        if (protocol is not int p || p != ProtocolVersion)
            throw new InvalidDataException($"unsupported legacy torch.save protocol version {protocol}");
        (var sysInfo, pos) = unpickler.LoadAt(file, pos);
        if (sysInfo is not Hashtable info || info["little_endian"] is not true)
            throw new InvalidDataException("was written on a big-endian machine, which is not supported");
        (var root, pos) = unpickler.LoadAt(file, pos);
        (var keyList, pos) = unpickler.LoadAt(file, pos);
        if (keyList is not ArrayList keys)
            throw new InvalidDataException("storage key list is missing");

        var found = TorchObjectGraph.Extract(root, unpickler);
        var data = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var keyObject in keys)
        {
            string key = unpickler.Text(keyObject, "storage key");
            if (!storages.TryGetValue(key, out var storage))
                throw new InvalidDataException($"storage '{key}' is listed but never referenced");
            if (storage.StorageType != "torch.FloatStorage")
                throw new InvalidDataException($"storage '{key}' is {storage.StorageType}; only float32 is supported");
            if (file.Length - pos < 8) throw Truncated(key);
            long count = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(pos));
            pos += 8;
            if (count != storage.ElementCount)
                throw new InvalidDataException($"storage '{key}' holds {count} elements but its tensors declare {storage.ElementCount}");
            if (count < 0 || count > (file.Length - pos) / sizeof(float)) throw Truncated(key);
            data[key] = RawFloats.Read(file.AsSpan(pos, (int)count * sizeof(float)));
            pos += (int)count * sizeof(float);
        }

        var state = new StateDict { Epoch = found.Epoch };
        foreach (var (name, view) in found.Tensors)
        {
            if (!data.TryGetValue(view.Storage.Key, out var storageData))
                throw new InvalidDataException($"tensor '{name}' uses storage '{view.Storage.Key}', which the file does not contain");
            state.Add(name, StorageViews.Materialize(name, view, storageData));
        }
        return state;
    }

    private static InvalidDataException Truncated(string key) => new($"truncated (the file ends inside storage '{key}')");
}
