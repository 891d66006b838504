namespace Vdsr.Core.Onnx;

/// <summary>What goes into an exported ONNX model besides the weights.</summary>
public sealed record OnnxExportOptions
{
    public const int DefaultOpset = 17;

    /// <summary>
    /// The default ONNX operator set. Conv, Relu, Add, QuantizeLinear and DequantizeLinear mean the
    /// same for these graphs from opset 13 (per-axis quantization) to 17, so any of them can be
    /// written; 13 is for older runtimes.
    /// </summary>
    public int Opset { get; init; } = DefaultOpset;

    /// <summary>Where the weights came from (recorded in the model's metadata).</summary>
    public string SourceModel { get; init; } = "";

    public const int MinOpset = 13;
    public const int MaxOpset = 17;

    /// <summary>The IR version that goes with an opset (ONNX 1.8/1.9: IR 7 with opsets 13/14; 1.10-1.12: IR 8 with 15-17).</summary>
    public int IrVersion => Opset <= 14 ? 7 : 8;

    public void Check()
    {
        if (Opset < MinOpset || Opset > MaxOpset)
            throw new VdsrUserException($"opset {Opset} is not written here: expected {MinOpset} to {MaxOpset}");
    }
}
