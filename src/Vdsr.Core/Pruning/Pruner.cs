using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Pruning;

/// <summary>
/// Prunes a VDSR network held as weights. Filter criteria rank each selected layer's filters
/// (<see cref="FilterMetrics"/>, on the unpruned weights as NNI does), choose removals by NNI's
/// rule (<see cref="SparsityAllocator"/>) and then shrink the network physically as NNI's
/// ModelSpeedup does: a removed filter goes, with the matching input channel of the next conv.
/// The level criterion zeroes single weights instead and keeps every shape.
/// </summary>
public static class Pruner
{
    public static PruningResult Prune(StateDict state, PruningSettings settings, string source)
    {
        settings.Validate();
        var architecture = ModelStore.ArchitectureOf(state, source);
        var targets = settings.Config.Resolve(architecture);
        return settings.Method.IsFilterMethod()
            ? PruneFilters(state, architecture, targets, settings)
            : LevelPruning.Apply(state, architecture, targets, settings);
    }

    private static PruningResult PruneFilters(StateDict state, VdsrArchitecture architecture, IReadOnlyList<LayerTarget> targets, PruningSettings settings)
    {
        var removed = new bool[architecture.Depth][];
        var metrics = targets.ToDictionary(t => t.Layer, t =>
            (IReadOnlyList<double>)FilterMetrics.Compute(settings.Method, state[architecture.LayerName(t.Layer)].Data, architecture.OutChannels(t.Layer)));

        foreach (var target in targets.Where(t => t.Group is null))
            removed[target.Layer] = SparsityAllocator.PerLayer(metrics[target.Layer], target.Sparsity);
        foreach (var group in targets.Where(t => t.Group is not null).GroupBy(t => t.Group))
        {
            var layers = group.ToArray();
            var result = SparsityAllocator.Global(
                layers.Select(t => metrics[t.Layer]).ToArray(),
                layers.Select(t => (long)architecture.InChannels(t.Layer) * VdsrArchitecture.KernelSize * VdsrArchitecture.KernelSize).ToArray(),
                layers[0].Sparsity, layers[0].MaxSparsity);
            for (int i = 0; i < layers.Length; i++) removed[layers[i].Layer] = result[i];
        }

        var kept = new int[architecture.Depth][];
        var outcomes = new List<LayerPruning>();
        for (int layer = 0; layer < architecture.Depth; layer++)
        {
            int filters = architecture.OutChannels(layer);
            kept[layer] = Enumerable.Range(0, filters).Where(f => removed[layer] is not { } r || !r[f]).ToArray();
            string name = PrunableLayers.ModuleName(architecture, layer);
            if (kept[layer].Length == 0)
                throw new VdsrUserException($"the pruning settings remove every filter of layer '{name}' ({filters} of {filters}); lower the sparsity or exclude it");
            outcomes.Add(new LayerPruning(layer, name, filters, kept[layer]));
        }
        var weights = FilterShrinking.Shrink(state, architecture, kept);
        var shrunk = ModelStore.ArchitectureOf(weights, "pruned network");
        return new PruningResult(settings, architecture, shrunk, weights, outcomes);
    }
}
