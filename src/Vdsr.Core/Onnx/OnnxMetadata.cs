using System.Globalization;
using Vdsr.Core.Model;

namespace Vdsr.Core.Onnx;

/// <summary>The metadata properties of an exported VDSR model: what a runtime elsewhere needs to use it right.</summary>
public static class OnnxMetadata
{
    public const string FormatKey = "vdsr.format";
    public const string FormatVersion = "1";
    public const string HiddenWidthsKey = "vdsr.hidden_widths";
    public const string PrecisionKey = "vdsr.precision";
    public const string SourceModelKey = "vdsr.source_model";
    public const string ConventionKey = "vdsr.io";
    public const string CalibrationKey = "vdsr.calibration";

    public const string Convention =
        "input: the bicubic-upscaled luma (MATLAB BT.601 Y, 16..235) divided by 255, float32 [N,1,H,W]; "
        + "output: the same units, input + predicted residual, not clipped (clip to [0,1], multiply by 255)";

    public static Dictionary<string, string> For(VdsrArchitecture architecture, string precision, string sourceModel) => new(StringComparer.Ordinal)
    {
        [FormatKey] = FormatVersion,
        [HiddenWidthsKey] = WidthsText(architecture),
        [PrecisionKey] = precision,
        [SourceModelKey] = sourceModel,
        [ConventionKey] = Convention,
    };

    public static string WidthsText(VdsrArchitecture architecture) =>
        string.Join(",", architecture.HiddenWidths.Select(w => w.ToString(CultureInfo.InvariantCulture)));
}
