namespace Vdsr.Core.Checkpoints;

/// <summary>
/// Named weights as read from or written to a checkpoint, in insertion order, plus whatever
/// metadata the file carried (epoch, architecture, training options).
/// </summary>
public sealed class StateDict
{
    private readonly List<KeyValuePair<string, TensorData>> _entries = new();
    private readonly Dictionary<string, TensorData> _byName = new(StringComparer.Ordinal);

    public IReadOnlyList<KeyValuePair<string, TensorData>> Entries => _entries;
    public IReadOnlyCollection<string> Names => _byName.Keys;
    public int Count => _entries.Count;

    /// <summary>The epoch stored with the weights, when the file has one.</summary>
    public int? Epoch { get; set; }

    /// <summary>Free-form string metadata (the project's own format stores its fields here).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    public void Add(string name, TensorData tensor)
    {
        if (!_byName.TryAdd(name, tensor))
            throw new CheckpointFormatException($"tensor '{name}' appears twice");
        _entries.Add(new(name, tensor));
    }

    public bool TryGet(string name, out TensorData tensor) => _byName.TryGetValue(name, out tensor!);

    public TensorData this[string name] =>
        _byName.TryGetValue(name, out var t) ? t : throw new CheckpointFormatException($"missing tensor '{name}'");
}
