using System.Text;
using Razorvine.Pickle;

namespace Vdsr.Core.Checkpoints.Torch;

/// <summary>
/// Unpickles one torch.save pickle after <see cref="PickleGlobalGuard"/> has vetted it, resolving
/// persistent ids to <see cref="StorageRef"/>s (shared by key across the file) and module classes.
/// </summary>
internal sealed class TorchUnpickler : Unpickler
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, StorageRef> _storages;
    private readonly bool _python2Strings;

    /// <param name="storages">Storages seen so far in this file, by key (filled as ids are met).</param>
    /// <param name="python2Strings">Strings are Python 2 byte strings, which the unpickler maps byte-to-char.</param>
    public TorchUnpickler(Dictionary<string, StorageRef> storages, bool python2Strings)
    {
        _storages = storages;
        _python2Strings = python2Strings;
        TorchPickleGlobals.EnsureRegistered();
    }

    /// <summary>Vets and unpickles the pickle at <paramref name="start"/>; returns the object and the offset after it.</summary>
    public (object? Value, int End) LoadAt(byte[] data, int start)
    {
        int end = PickleGlobalGuard.Check(data, start);
        object? value;
        try
        {
            value = loads(data[start..end]); // a copy: loads(ReadOnlyMemory) ignores the segment's offset
        }
        catch (Exception e) when (e is not (InvalidDataException or VdsrUserException or OutOfMemoryException))
        {
            // The vetted opcodes can still be malformed (a PUT whose index is not a number, a
            // stack that runs dry); Razorvine reports those with whatever exception fits.
            throw new InvalidDataException($"malformed pickle at offset {start} ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()})", e);
        }
        return (value, end);
    }

    /// <summary>A string from the pickle as text: Python 2 byte strings are UTF-8.</summary>
    public string Text(object? value, string what)
    {
        if (value is not string s) throw new InvalidDataException($"{what} is not a string");
        if (!_python2Strings || s.All(c => c < 0x80)) return s;
        var bytes = new byte[s.Length];
        for (int i = 0; i < s.Length; i++)
            bytes[i] = s[i] <= 0xff ? (byte)s[i] : throw new InvalidDataException($"{what} is not a byte string");
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{what} is not valid UTF-8");
        }
    }

    protected override object persistentLoad(object pid)
    {
        if (pid is not object[] { Length: > 0 } id)
            throw new InvalidDataException("persistent id is not a tuple");
        switch (Text(id[0], "persistent id tag"))
        {
            case "module" when id.Length >= 2 && id[1] is IObjectConstructor cls:
                return cls;
            case "storage" when id.Length >= 5:
            {
                string type = TorchPickleGlobals.StorageTypeName(id[1]);
                string key = Text(id[2], "storage key");
                long count = TorchPickleGlobals.ToInt64(id[4], $"size of storage '{key}'");
                if (id.Length >= 6 && id[5] is not null)
                    throw new InvalidDataException($"storage '{key}' is a view of another storage, which VDSR checkpoints never hold");
                var storage = new StorageRef(key, type, count);
                if (!_storages.TryGetValue(key, out var known))
                    _storages[key] = storage;
                else if (known != storage)
                    throw new InvalidDataException($"storage '{key}' is declared twice with different sizes");
                return _storages[key];
            }
            default:
                throw new InvalidDataException("unknown persistent id in pickle");
        }
    }
}
