namespace Vdsr.Core.Pruning;

/// <summary>
/// What pruning did to one conv layer: the output filters kept (indices into the original layer,
/// ascending; all of them after level pruning, which zeroes weights instead).
/// </summary>
public sealed record LayerPruning(int Layer, string Name, int Filters, IReadOnlyList<int> KeptFilters);
