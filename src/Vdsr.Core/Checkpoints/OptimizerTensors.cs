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
    public static Dictionary<string, TensorData> Momentum(StateDict state) => Buffers(state, "momentum");

    /// <summary>"optimizer.&lt;buffer&gt;.&lt;parameter&gt;", e.g. optimizer.exp_avg.input.weight.</summary>
    public static string BufferName(string buffer, string parameterName) => Prefix + buffer + "." + parameterName;

    /// <summary>The buffers of one kind (e.g. "exp_avg") in <paramref name="state"/>, keyed by parameter name.</summary>
    public static Dictionary<string, TensorData> Buffers(StateDict state, string buffer)
    {
        string prefix = Prefix + buffer + ".";
        return state.Entries.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[prefix.Length..], e => e.Value, StringComparer.Ordinal);
    }

    /// <summary>The entries that are not optimizer state (the model weights).</summary>
    public static IEnumerable<KeyValuePair<string, TensorData>> Weights(StateDict state) =>
        state.Entries.Where(e => !IsOptimizerTensor(e.Key));
}
