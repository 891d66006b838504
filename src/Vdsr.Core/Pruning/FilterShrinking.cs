using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Pruning;

/// <summary>
/// Physical removal of filters (what NNI's ModelSpeedup does to a chain of convs) and, for
/// comparison, the masking it replaces: the same filters zeroed in the unpruned shapes.
/// </summary>
public static class FilterShrinking
{
    /// <summary>
    /// Keeps the output filters <paramref name="kept"/>[l] of every layer l and, in layer l+1, the
    /// input channels that those filters fed. The output conv's single filter always stays.
    /// </summary>
    public static StateDict Shrink(StateDict state, VdsrArchitecture architecture, IReadOnlyList<IReadOnlyList<int>> kept)
    {
        var result = new StateDict { Epoch = state.Epoch };
        for (int layer = 0; layer < architecture.Depth; layer++)
        {
            var source = state[architecture.LayerName(layer)];
            var outputs = kept[layer];
            IReadOnlyList<int> inputs = layer == 0 ? [0] : kept[layer - 1];
            int inChannels = architecture.InChannels(layer);
            const int taps = VdsrArchitecture.KernelSize * VdsrArchitecture.KernelSize;
            var data = new float[outputs.Count * inputs.Count * taps];
            int at = 0;
            foreach (int o in outputs)
                foreach (int i in inputs)
                {
                    Array.Copy(source.Data, ((long)o * inChannels + i) * taps, data, at, taps);
                    at += taps;
                }
            result.Add(architecture.LayerName(layer), new TensorData([outputs.Count, inputs.Count, VdsrArchitecture.KernelSize, VdsrArchitecture.KernelSize], data));
        }
        return result;
    }

    /// <summary>The unpruned shapes with every filter not in <paramref name="kept"/> set to zero.</summary>
    public static StateDict Mask(StateDict state, VdsrArchitecture architecture, IReadOnlyList<IReadOnlyList<int>> kept)
    {
        var result = new StateDict { Epoch = state.Epoch };
        for (int layer = 0; layer < architecture.Depth; layer++)
        {
            var source = state[architecture.LayerName(layer)];
            var data = new float[source.Data.Length];
            int filterSize = data.Length / architecture.OutChannels(layer);
            foreach (int o in kept[layer])
                Array.Copy(source.Data, (long)o * filterSize, data, (long)o * filterSize, filterSize);
            result.Add(architecture.LayerName(layer), new TensorData(source.Shape, data));
        }
        return result;
    }
}
