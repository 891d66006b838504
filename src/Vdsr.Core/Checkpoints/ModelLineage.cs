namespace Vdsr.Core.Checkpoints;

/// <summary>
/// How a model's weights came to be, beyond the weights: the pruning record (method, config, kept
/// filters, stage, source) that vdsr-prune writes as "pruning.*" metadata. A run that trains such
/// a model further keeps the record in its checkpoints, so a pruned model stays labelled as one.
/// </summary>
public static class ModelLineage
{
    public const string PruningPrefix = "pruning.";

    /// <summary>The lineage entries of <paramref name="state"/>'s metadata (none for a model with no record).</summary>
    public static IReadOnlyDictionary<string, string> Of(StateDict? state) =>
        state is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : state.Metadata.Where(e => e.Key.StartsWith(PruningPrefix, StringComparison.Ordinal))
                .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
