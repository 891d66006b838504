using TorchSharp;
using Vdsr.Core.Checkpoints;
using static TorchSharp.torch;

namespace Vdsr.Core.Model;

/// <summary>
/// The one bridge between checkpoints (<see cref="StateDict"/>) and networks: builds a
/// <see cref="VdsrNet"/> from weights, and moves weights in and out of one.
/// </summary>
public static class ModelStore
{
    /// <summary>Reads any known checkpoint and builds the network it describes.</summary>
    public static VdsrNet LoadNet(string path, Device? device = null, ConvPlan plan = default) => ToNet(CheckpointFile.Load(path), path, device, plan);

    /// <summary>
    /// Builds a network shaped like the weights in <paramref name="state"/> (optimizer tensors are
    /// ignored) and loads them. <paramref name="source"/> names the file in error messages;
    /// <paramref name="plan"/> is how the network will run its convs.
    /// </summary>
    public static VdsrNet ToNet(StateDict state, string source, Device? device = null, ConvPlan plan = default)
    {
        var net = new VdsrNet(ArchitectureOf(state, source), plan: plan);
        try
        {
            LoadWeights(net, state, source);
            if (device is not null) net.to(device);
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>The architecture the weights of <paramref name="state"/> describe, every shape checked.</summary>
    public static VdsrArchitecture ArchitectureOf(StateDict state, string source)
    {
        var weights = OptimizerTensors.Weights(state).ToList();
        VdsrArchitecture architecture;
        try
        {
            architecture = VdsrArchitecture.FromWeightShapes(VdsrParameterNames.WeightShapes(state));
        }
        catch (CheckpointFormatException e)
        {
            throw new CheckpointFormatException($"{source}: {e.Message}", e);
        }
        CheckShapes(architecture, weights, source);
        return architecture;
    }

    /// <summary>Copies the weights of <paramref name="state"/> into <paramref name="net"/>, which must have their shapes.</summary>
    public static void LoadWeights(VdsrNet net, StateDict state, string source)
    {
        var weights = OptimizerTensors.Weights(state).ToList();
        CheckShapes(net.Architecture, weights, source);
        for (int layer = 0; layer < net.Architecture.Depth; layer++)
        {
            string name = net.Architecture.LayerName(layer);
            TensorDataConversion.CopyInto(net.LayerWeight(layer), state[name], name, source);
        }
    }

    /// <summary>The network's weights as managed float32 arrays, in layer order.</summary>
    public static StateDict ToStateDict(VdsrNet net, int? epoch = null)
    {
        var state = new StateDict { Epoch = epoch };
        for (int layer = 0; layer < net.Architecture.Depth; layer++)
            state.Add(net.Architecture.LayerName(layer), TensorDataConversion.ToTensorData(net.LayerWeight(layer)));
        return state;
    }

    private static void CheckShapes(VdsrArchitecture architecture, List<KeyValuePair<string, TensorData>> weights, string source)
    {
        var expected = Enumerable.Range(0, architecture.Depth).ToDictionary(architecture.LayerName, architecture.WeightShape, StringComparer.Ordinal);
        foreach (var (name, tensor) in weights)
        {
            if (!expected.TryGetValue(name, out var shape))
                throw new CheckpointFormatException($"{source}: unexpected tensor '{name}' (not a parameter of a {architecture} VDSR network)");
            if (!tensor.Shape.SequenceEqual(shape))
                throw new CheckpointFormatException($"{source}: tensor '{name}' has shape {tensor.ShapeText}, expected [{string.Join(", ", shape)}]");
        }
        foreach (var name in expected.Keys)
            if (!weights.Any(w => w.Key == name))
                throw new CheckpointFormatException($"{source}: missing tensor '{name}'");
    }
}
