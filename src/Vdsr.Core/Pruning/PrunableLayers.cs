using Vdsr.Core.Model;

namespace Vdsr.Core.Pruning;

/// <summary>The layers a pruning rule can select: VDSR's convs under their PyTorch module names.</summary>
public static class PrunableLayers
{
    /// <summary>The module type of every VDSR conv (NNI's op type).</summary>
    public const string ConvType = "Conv2d";

    /// <summary>NNI's op type that stands for "the pruner's default layer types".</summary>
    public const string DefaultType = "default";

    /// <summary>Module name of a layer: its weight's name without ".weight".</summary>
    public static string ModuleName(VdsrArchitecture architecture, int layer)
    {
        var parameter = architecture.LayerName(layer);
        return parameter[..^".weight".Length];
    }

    public static IReadOnlyList<string> ModuleNames(VdsrArchitecture architecture) =>
        Enumerable.Range(0, architecture.Depth).Select(l => ModuleName(architecture, l)).ToArray();
}
