namespace Vdsr.Core.Checkpoints;

/// <summary>
/// Naming of optimizer state kept in a checkpoint next to the weights, e.g. the SGD momentum
/// buffer of `input.weight` is stored as `optimizer.momentum.input.weight`.
/// </summary>
public static class OptimizerTensors
{
    public const string Prefix = "optimizer.";
    public const string MomentumPrefix = Prefix + "momentum.";

    public static string MomentumName(string parameterName) => MomentumPrefix + parameterName;

    public static bool IsOptimizerTensor(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The momentum buffers in <paramref name="state"/>, keyed by parameter name.</summary>
    public static Dictionary<string, TensorData> Momentum(StateDict state) =>
        state.Entries.Where(e => e.Key.StartsWith(MomentumPrefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[MomentumPrefix.Length..], e => e.Value, StringComparer.Ordinal);

    /// <summary>The entries that are not optimizer state (the model weights).</summary>
    public static IEnumerable<KeyValuePair<string, TensorData>> Weights(StateDict state) =>
        state.Entries.Where(e => !IsOptimizerTensor(e.Key));
}
