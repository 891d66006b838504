using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Tests.Pruning;

/// <summary>Weight sets built by hand or from a seed, for the pruning tests.</summary>
internal static class CraftedWeights
{
    /// <summary>Random weights of <paramref name="architecture"/> (He-like scale), reproducible from the seed.</summary>
    public static StateDict Random(VdsrArchitecture architecture, int seed)
    {
        var random = new Random(seed);
        var state = new StateDict();
        for (int layer = 0; layer < architecture.Depth; layer++)
        {
            var shape = architecture.WeightShape(layer);
            var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            double std = Math.Sqrt(2.0 / (9.0 * shape[0]));
            for (int i = 0; i < data.Length; i++) data[i] = (float)((random.NextDouble() * 2 - 1) * std * 1.7);
            state.Add(architecture.LayerName(layer), new TensorData(shape, data));
        }
        return state;
    }

    /// <summary>Sets every weight of filter <paramref name="filter"/> of a layer to <paramref name="value"/>.</summary>
    public static void FillFilter(StateDict state, VdsrArchitecture architecture, int layer, int filter, float value)
    {
        var data = state[architecture.LayerName(layer)].Data;
        int size = data.Length / architecture.OutChannels(layer);
        Array.Fill(data, value, filter * size, size);
    }
}
