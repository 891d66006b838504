namespace Vdsr.Core.Model;

/// <summary>How a network's convs run at inference: their precision and the hidden convs' algorithm. The default is float32, direct.</summary>
public readonly record struct ConvPlan(ConvPrecision Precision, ConvAlgorithm Algorithm)
{
    /// <summary>Training's plan for a precision (training convs are direct).</summary>
    public static ConvPlan Direct(ConvPrecision precision) => new(precision, ConvAlgorithm.Direct);

    /// <summary>"fp32", "bf16" or "fp32, winograd" (Winograd applies to float32 convs only).</summary>
    public string Name => Precision == ConvPrecision.Fp32 && Algorithm == ConvAlgorithm.Winograd ? "fp32, winograd" : Precision.Name();
}
