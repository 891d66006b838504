namespace Vdsr.Core.Pruning;

/// <summary>
/// What pruning did to one conv layer: for filter pruning the output filters kept (indices into the
/// original layer, ascending); for level pruning the number of weights zeroed.
/// </summary>
public sealed record LayerPruning(int Layer, string Name, int Filters, IReadOnlyList<int> KeptFilters, long Weights, long ZeroedWeights)
{
    public int RemovedFilters => Filters - KeptFilters.Count;
}
