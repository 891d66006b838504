using System.CommandLine;
using TorchSharp;
using Vdsr.Core;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;

namespace Vdsr.Cli;

/// <summary>`--precision fp32|bf16|auto` for every tool that runs the network on images.</summary>
public static class PrecisionOption
{
    public static Option<string> Create(PrecisionRequest fallback) => new("--precision")
    {
        Description = "number format of the convs: fp32; bf16 (the hidden convs in bfloat16, the first and last conv, the residual and the output in float32: "
                      + "Set5 within 0.005 dB of fp32, about twice as fast on a CPU with AVX-512 BF16 or AMX); auto (bf16 on such a CPU, fp32 elsewhere, "
                      + $"where bf16 is emulated and slower). Default: {fallback.Name()}",
        DefaultValueFactory = _ => fallback.Name(),
    };

    /// <summary>The precision to run on <paramref name="device"/>; auto means fp32 on a GPU (not measured there).</summary>
    public static ConvPrecision Resolve(ParseResult parse, Option<string> option, torch.Device device) =>
        Request(parse, option).Resolve(nativeBf16: device.type == DeviceType.CPU && CpuFeatures.HasNativeBf16);

    /// <summary>The precision asked for, with auto decided by this machine's CPU.</summary>
    public static ConvPrecision ResolveForCpu(ParseResult parse, Option<string> option) =>
        Request(parse, option).Resolve(CpuFeatures.HasNativeBf16);

    /// <summary>The precision asked for (auto not yet decided).</summary>
    public static PrecisionRequest Request(ParseResult parse, Option<string> option)
    {
        string text = parse.GetValue(option)!;
        return PrecisionChoice.Parse(text) ?? throw new VdsrUserException($"--precision {text}: expected fp32, bf16 or auto");
    }

    /// <summary>One line for the user: what runs and, for auto, why.</summary>
    public static string Describe(ParseResult parse, Option<string> option, ConvPrecision precision)
    {
        bool auto = PrecisionChoice.Parse(parse.GetValue(option)!) == PrecisionRequest.Auto;
        if (!auto) return $"Precision: {precision.Name()}";
        return precision == ConvPrecision.Bf16
            ? "Precision: bf16 (auto: this CPU computes bf16 natively)"
            : "Precision: fp32 (auto: no native bf16 on this device)";
    }
}
