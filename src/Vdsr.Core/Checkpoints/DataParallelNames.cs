namespace Vdsr.Core.Checkpoints;

/// <summary>
/// A state_dict saved from a model wrapped in DistributedDataParallel or DataParallel has every name
/// prefixed with "module."; the weights are the same, so the prefix is dropped on load.
/// </summary>
public static class DataParallelNames
{
    public const string Prefix = "module.";

    public static StateDict Strip(StateDict state)
    {
        if (state.Count == 0 || !state.Names.All(n => n.StartsWith(Prefix, StringComparison.Ordinal))) return state;
        var stripped = new StateDict { Epoch = state.Epoch };
        foreach (var (name, tensor) in state.Entries) stripped.Add(name[Prefix.Length..], tensor);
        foreach (var (key, value) in state.Metadata) stripped.Metadata[key] = value;
        return stripped;
    }
}
