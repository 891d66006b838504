namespace Vdsr.Core.Pruning;

/// <summary>
/// One entry of an NNI <c>config_list</c>: which layers it selects (by type, exact name or part of
/// a name) and how much of each to remove, or, with <see cref="Exclude"/>, which layers to leave alone.
/// Exactly one of <see cref="SparsityPerLayer"/> and <see cref="TotalSparsity"/> is set on a rule
/// that is not an exclusion.
/// </summary>
public sealed record PruneRule
{
    /// <summary>NNI's <c>sparsity</c> / <c>sparsity_per_layer</c>: each selected layer loses this fraction.</summary>
    public double? SparsityPerLayer { get; init; }

    /// <summary>NNI's <c>total_sparsity</c>: one ranking across the selected layers removes this fraction of their weights.</summary>
    public double? TotalSparsity { get; init; }

    /// <summary>NNI's <c>max_sparsity_per_layer</c>: a cap on any layer's share under <see cref="TotalSparsity"/>.</summary>
    public double? MaxSparsityPerLayer { get; init; }

    /// <summary>Module types; VDSR's prunable layers are all <c>Conv2d</c> (NNI's <c>default</c> also selects them).</summary>
    public IReadOnlyList<string>? OpTypes { get; init; }

    /// <summary>PyTorch module names (<c>input</c>, <c>residual_layer.3.conv</c>, <c>output</c>).</summary>
    public IReadOnlyList<string>? OpNames { get; init; }

    /// <summary>Parts of module names: a layer whose name contains one of them is selected.</summary>
    public IReadOnlyList<string>? OpPartialNames { get; init; }

    public bool Exclude { get; init; }
}
