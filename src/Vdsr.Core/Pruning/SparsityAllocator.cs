namespace Vdsr.Core.Pruning;

/// <summary>
/// NNI's rules for turning metrics into removals. Per layer (NNI 2.9+): exactly
/// <c>n = int(sparsity * count)</c> entries with the smallest metrics are removed; among entries
/// tied at the boundary the lower index goes first (NNI leaves that order to torch.topk; NNI 2.6-2.8
/// removed every tied entry instead). With distinct metrics, as real weights have, all versions agree.
/// Across a group (<c>total_sparsity</c>, NNI's global allocator) each entry counts with its number of
/// weights, metrics are compared as they are (not normalised), and one threshold serves every layer
/// of the group: entries are removed smallest first until <c>int(total * weights)</c> weights are
/// reached, the entry that crosses it and any tied with it included.
/// </summary>
public static class SparsityAllocator
{
    /// <summary>NNI's default cap on one layer's share under a total sparsity.</summary>
    public const double DefaultMaxSparsityPerLayer = 0.99;

    /// <summary>True for each entry removed from one layer at <paramref name="sparsity"/>.</summary>
    public static bool[] PerLayer(IReadOnlyList<double> metric, double sparsity)
    {
        int prune = (int)(sparsity * metric.Count);
        var removed = new bool[metric.Count];
        foreach (int index in Enumerable.Range(0, metric.Count).OrderBy(i => metric[i]).ThenBy(i => i).Take(prune))
            removed[index] = true;
        return removed;
    }

    /// <summary>
    /// One ranking across several layers: <c>int(total * weights of the group)</c> weights are
    /// removed, smallest metric first, each entry of layer i weighing <c>weightsPerEntry[i]</c>.
    /// A layer only offers its <c>count - ceil((1 - max) * count)</c> smallest entries
    /// (<paramref name="maxSparsityPerLayer"/>, by default NNI's 0.99, so each layer keeps one).
    /// </summary>
    public static bool[][] Global(IReadOnlyList<IReadOnlyList<double>> metrics, IReadOnlyList<long> weightsPerEntry, double totalSparsity, double? maxSparsityPerLayer)
    {
        double max = maxSparsityPerLayer ?? DefaultMaxSparsityPerLayer;
        var offered = new List<(int Layer, int Index, double Metric)>();
        long totalWeights = 0;
        for (int i = 0; i < metrics.Count; i++)
        {
            int count = metrics[i].Count;
            totalWeights += count * weightsPerEntry[i];
            int removable = count - (int)Math.Ceiling((1 - max) * count);
            offered.AddRange(Enumerable.Range(0, count).OrderBy(e => metrics[i][e]).ThenBy(e => e).Take(Math.Max(0, removable))
                .Select(e => (i, e, metrics[i][e])));
        }
        long prune = (long)(totalSparsity * totalWeights);
        var removed = metrics.Select(m => new bool[m.Count]).ToArray();
        if (prune <= 0 || offered.Count == 0) return removed;

        double threshold = double.NegativeInfinity;
        long taken = 0;
        foreach (var entry in offered.OrderBy(c => c.Metric))
        {
            threshold = entry.Metric;
            taken += weightsPerEntry[entry.Layer];
            if (taken >= prune) break;
        }
        foreach (var (layer, index, metric) in offered)
            removed[layer][index] = metric <= threshold;
        return removed;
    }
}
