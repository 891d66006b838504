namespace Vdsr.Core.Pruning;

/// <summary>
/// How weights are chosen for removal. The filter criteria remove whole output filters (and the
/// matching input channels of the next layer), so the network really shrinks; <see cref="Level"/>
/// zeroes single weights and leaves every shape as it was.
/// </summary>
public enum PruningMethod
{
    /// <summary>NNI's L1NormPruner: a filter's metric is the L1 norm of its weights.</summary>
    L1,

    /// <summary>NNI's L2NormPruner: the L2 norm of its weights.</summary>
    L2,

    /// <summary>NNI's FPGMPruner (geometric median): the summed distance to the layer's other filters.</summary>
    Fpgm,

    /// <summary>NNI's LevelPruner: unstructured magnitude masking (no shrink, no speed-up).</summary>
    Level,
}

public static class PruningMethodNames
{
    public static string Name(this PruningMethod method) => EnumNames.Name(method);

    public static bool IsFilterMethod(this PruningMethod method) => method != PruningMethod.Level;
}
