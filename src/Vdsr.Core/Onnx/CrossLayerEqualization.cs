using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Onnx;

/// <summary>
/// Rescales the channels between two convs so that one uint8 scale per activation serves them all
/// (cross-layer equalization, Nagel et al. 2019). Relu(s x) = s Relu(x) for s &gt; 0, so multiplying
/// filter c of a conv by s and dividing input channel c of the next conv by s computes exactly the
/// same function; the channel's activations then span s times their range. Channels with small
/// ranges are stretched towards the layer's largest, so they no longer fall into a few quantization
/// steps, at the cost of smaller weights in the next conv, whose per-filter int8 scale follows them.
/// </summary>
public static class CrossLayerEqualization
{
    /// <summary>
    /// The equalized weights and the new channel ranges. Channel c of hidden layer l is scaled by
    /// (max_l / range_c)^<paramref name="strength"/>: 0 changes nothing, 1 gives every channel the layer's range.
    /// </summary>
    public static (StateDict Weights, float[][] ChannelMaxima) Apply(StateDict state, VdsrArchitecture architecture, float[][] channelMaxima, double strength)
    {
        var weights = Enumerable.Range(0, architecture.Depth)
            .Select(l => (float[])state[architecture.LayerName(l)].Data.Clone()).ToArray();
        var ranges = new float[channelMaxima.Length][];
        for (int layer = 0; layer < channelMaxima.Length; layer++)
        {
            var channels = channelMaxima[layer];
            float top = channels.Max();
            ranges[layer] = new float[channels.Length];
            int perFilter = weights[layer].Length / channels.Length;
            int inChannels = architecture.InChannels(layer + 1), kernel = VdsrArchitecture.KernelSize * VdsrArchitecture.KernelSize;
            for (int c = 0; c < channels.Length; c++)
            {
                float s = channels[c] > 0 ? (float)Math.Pow(top / channels[c], strength) : 1f;
                ranges[layer][c] = channels[c] * s;
                foreach (ref float w in weights[layer].AsSpan(c * perFilter, perFilter)) w *= s;
                var next = weights[layer + 1];
                for (int o = 0; o < architecture.OutChannels(layer + 1); o++)
                    foreach (ref float w in next.AsSpan((o * inChannels + c) * kernel, kernel)) w /= s;
            }
        }
        var equalized = new StateDict { Epoch = state.Epoch };
        for (int l = 0; l < architecture.Depth; l++)
            equalized.Add(architecture.LayerName(l), new TensorData(architecture.WeightShape(l), weights[l]));
        return (equalized, ranges);
    }
}
