using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Pruning;

/// <summary>
/// NNI's LevelPruner: in each selected layer the weights of smallest magnitude are set to zero,
/// by <see cref="SparsityAllocator.PerLayer"/>'s rule over the whole layer (normal mode) or over
/// each block of the balance granularity (balance mode). No shape changes, so no speed-up.
/// </summary>
internal static class LevelPruning
{
    public static PruningResult Apply(StateDict state, VdsrArchitecture architecture, IReadOnlyList<LayerTarget> targets, PruningSettings settings)
    {
        if (targets.Any(t => t.Group is not null))
            throw new VdsrUserException("total_sparsity is for the filter pruners (l1, l2, fpgm); give the level pruner a sparsity per layer");
        var weights = new StateDict { Epoch = state.Epoch };
        var outcomes = new List<LayerPruning>();
        for (int layer = 0; layer < architecture.Depth; layer++)
        {
            string name = architecture.LayerName(layer);
            var source = state[name];
            var data = (float[])source.Data.Clone();
            if (targets.FirstOrDefault(t => t.Layer == layer) is { } target)
            {
                foreach (var block in Blocks(source.Shape, settings))
                {
                    var magnitudes = block.Select(i => (double)Math.Abs(data[i])).ToArray();
                    var removed = SparsityAllocator.PerLayer(magnitudes, target.Sparsity);
                    for (int k = 0; k < block.Length; k++)
                        if (removed[k]) data[block[k]] = 0;
                }
            }
            weights.Add(name, new TensorData(source.Shape, data));
            int filters = architecture.OutChannels(layer);
            outcomes.Add(new LayerPruning(layer, PrunableLayers.ModuleName(architecture, layer), filters, Enumerable.Range(0, filters).ToArray()));
        }
        return new PruningResult(settings, architecture, architecture, weights, outcomes);
    }

    /// <summary>
    /// The groups of element indices ranked together: the whole tensor, or in balance mode blocks
    /// whose extent over the last dimensions is the granularity (each dimension must divide evenly).
    /// </summary>
    private static IEnumerable<int[]> Blocks(long[] shape, PruningSettings settings)
    {
        int total = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        if (settings.Mode != PruningSettings.BalanceMode)
        {
            yield return Enumerable.Range(0, total).ToArray();
            yield break;
        }
        var gran = settings.BalanceGranularity!;
        if (gran.Count > shape.Length)
            throw new VdsrUserException($"balance granularity [{string.Join(",", gran)}] has more dimensions than a weight [{string.Join(",", shape)}]");
        int offset = shape.Length - gran.Count;
        var block = new long[shape.Length];
        for (int d = 0; d < shape.Length; d++)
        {
            long g = d < offset ? 1 : gran[d - offset];
            if (shape[d] % g != 0)
                throw new VdsrUserException($"balance granularity [{string.Join(",", gran)}] does not divide the weight shape [{string.Join(",", shape)}]");
            block[d] = g;
        }
        var groups = new Dictionary<long, List<int>>();
        var index = new long[shape.Length];
        for (int flat = 0; flat < total; flat++)
        {
            long rem = flat, key = 0;
            for (int d = shape.Length - 1; d >= 0; d--) { index[d] = rem % shape[d]; rem /= shape[d]; }
            for (int d = 0; d < shape.Length; d++) key = key * (shape[d] / block[d]) + index[d] / block[d];
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = new List<int>();
            list.Add(flat);
        }
        foreach (var group in groups.OrderBy(g => g.Key)) yield return group.Value.ToArray();
    }
}
