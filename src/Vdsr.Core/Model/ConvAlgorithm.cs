using Vdsr.Core.Model.Winograd;

namespace Vdsr.Core.Model;

/// <summary>How the hidden 3x3 convs are computed at inference (training always runs them direct).</summary>
public enum ConvAlgorithm
{
    /// <summary>libtorch's (oneDNN's) direct convolution, channels-last.</summary>
    Direct,

    /// <summary>
    /// Winograd F(4x4,3x3) (<see cref="WinogradConv"/>): 4x fewer multiplications, float32 only;
    /// within 1e-6 of the direct conv on the golden input.
    /// </summary>
    Winograd,
}

public static class ConvAlgorithmChoice
{
    public static string Name(this ConvAlgorithm algorithm) => EnumNames.Name(algorithm);

    /// <summary>
    /// "direct" or "winograd"; "auto" (null <paramref name="text"/> too) is Winograd where its
    /// kernel was measured faster (<see cref="WinogradConv.IsAccelerated"/>) and the hidden convs
    /// run in float32, direct elsewhere. Null when the text is none of these.
    /// </summary>
    public static ConvAlgorithm? Resolve(string? text, ConvPrecision precision, bool cpu) =>
        string.Equals((text ?? "auto").Trim(), "auto", StringComparison.OrdinalIgnoreCase)
            ? cpu && precision == ConvPrecision.Fp32 && WinogradConv.IsAccelerated ? ConvAlgorithm.Winograd : ConvAlgorithm.Direct
            : EnumNames.Parse<ConvAlgorithm>(text);
}
