namespace Vdsr.Core.Checkpoints;

/// <summary>
/// The PyTorch state_dict names of a VDSR network's conv weights (input.weight,
/// residual_layer.&lt;i&gt;.conv.weight, output.weight) and the layer widths their shapes declare.
/// </summary>
public static class VdsrParameterNames
{
    private const string ResidualPrefix = "residual_layer.";

    /// <summary>The weight name of conv layer <paramref name="layer"/> of a <paramref name="depth"/>-layer network.</summary>
    public static string Of(int layer, int depth) =>
        layer == 0 ? "input.weight" : layer == depth - 1 ? "output.weight" : $"{ResidualPrefix}{layer - 1}.conv.weight";

    /// <summary>The number of conv layers the names describe (input, residual layers, output).</summary>
    public static int DepthOf(IEnumerable<string> names) =>
        names.Count(n => n.StartsWith(ResidualPrefix, StringComparison.Ordinal)) + 2;

    /// <summary>All weight names in layer order.</summary>
    public static IReadOnlyList<string> InLayerOrder(int depth) => Enumerable.Range(0, depth).Select(l => Of(l, depth)).ToArray();

    /// <summary>
    /// The output widths of every layer but the last, read from the weight shapes; throws
    /// <see cref="CheckpointFormatException"/> when a layer is missing or not a 4-D conv weight.
    /// </summary>
    public static int[] HiddenWidths(IReadOnlyDictionary<string, long[]> shapes)
    {
        int depth = DepthOf(shapes.Keys);
        var widths = new int[depth - 1];
        for (int layer = 0; layer < depth; layer++)
        {
            var name = Of(layer, depth);
            if (!shapes.TryGetValue(name, out var shape))
                throw new CheckpointFormatException($"missing tensor '{name}'");
            if (shape.Length != 4)
                throw new CheckpointFormatException($"tensor '{name}' has shape [{string.Join(", ", shape)}], expected 4 dimensions");
            if (layer < depth - 1) widths[layer] = checked((int)shape[0]);
        }
        return widths;
    }

    /// <summary>The shapes of the weights of a state (optimizer tensors left out).</summary>
    public static IReadOnlyDictionary<string, long[]> WeightShapes(StateDict state) =>
        OptimizerTensors.Weights(state).ToDictionary(e => e.Key, e => e.Value.Shape, StringComparer.Ordinal);
}
