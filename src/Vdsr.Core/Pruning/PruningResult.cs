using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Pruning;

/// <summary>
/// A pruned network: its weights (smaller shapes after filter pruning, zeros after level pruning),
/// its architecture and what happened to each layer.
/// </summary>
public sealed record PruningResult(
    PruningSettings Settings,
    VdsrArchitecture SourceArchitecture,
    VdsrArchitecture Architecture,
    StateDict Weights,
    IReadOnlyList<LayerPruning> Layers)
{
    /// <summary>Weights that are not zero (the parameter count that matters for level pruning).</summary>
    public long NonZeroParameters => CountNonZero(Weights);

    /// <summary>Non-zero model weights of a state (optimizer tensors left out).</summary>
    public static long CountNonZero(StateDict state) =>
        OptimizerTensors.Weights(state).Sum(e => (long)e.Value.Data.Count(v => v != 0));
}
