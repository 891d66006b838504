namespace Vdsr.Core.Training;

/// <summary>How gradients are limited before each SGD step.</summary>
public enum ClipMode
{
    /// <summary>The original script: all gradients scaled together so their global L2 norm is at most clip.</summary>
    Norm,

    /// <summary>The paper's adjustable clipping: every element clamped to [-clip/lr, clip/lr] with the current lr.</summary>
    Adjustable,
}

public static class ClipModes
{
    public static string Name(this ClipMode mode) => EnumNames.Name(mode);

    public static ClipMode? Parse(string text) => EnumNames.Parse<ClipMode>(text);
}
