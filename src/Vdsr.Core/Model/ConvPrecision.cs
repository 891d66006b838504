namespace Vdsr.Core.Model;

/// <summary>The number format the network's convolutions run in.</summary>
public enum ConvPrecision
{
    /// <summary>Every conv in float32: the reference numbers.</summary>
    Fp32,

    /// <summary>
    /// The hidden convs (all but the first and the last) in bfloat16, with float32 weights kept as
    /// the master copy. The first conv stays float32 because rounding the image itself to bf16 is
    /// what costs PSNR; the last (64->1, 1.5% of the work) stays float32 so that the residual and
    /// the output are not rounded.
    /// </summary>
    Bf16,
}

/// <summary>What a user asks for: a precision, or <see cref="Auto"/> to let the CPU decide.</summary>
public enum PrecisionRequest
{
    Fp32,
    Bf16,

    /// <summary>bf16 where the CPU computes it natively (AVX-512 BF16 or AMX), fp32 elsewhere.</summary>
    Auto,
}

public static class PrecisionChoice
{
    public static ConvPrecision Resolve(this PrecisionRequest request, bool nativeBf16) => request switch
    {
        PrecisionRequest.Fp32 => ConvPrecision.Fp32,
        PrecisionRequest.Bf16 => ConvPrecision.Bf16,
        _ => nativeBf16 ? ConvPrecision.Bf16 : ConvPrecision.Fp32,
    };

    /// <summary>"fp32" or "bf16", as the flags spell it.</summary>
    public static string Name(this ConvPrecision precision) => EnumNames.Name(precision);

    public static string Name(this PrecisionRequest request) => EnumNames.Name(request);

    /// <summary>Parses "fp32" or "bf16" (not "auto"); null otherwise.</summary>
    public static ConvPrecision? ParsePrecision(string text) =>
        Parse(text) is PrecisionRequest request and not PrecisionRequest.Auto ? request.Resolve(nativeBf16: false) : null;

    /// <summary>Parses "fp32", "bf16" or "auto"; null if it is none of them.</summary>
    public static PrecisionRequest? Parse(string text) => EnumNames.Parse<PrecisionRequest>(text);
}
