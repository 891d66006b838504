using System.CommandLine;
using TorchSharp;
using Vdsr.Core;
using Vdsr.Core.Model;

namespace Vdsr.Cli;

/// <summary>`--conv auto|direct|winograd`: how the hidden convs run at inference.</summary>
public static class ConvOption
{
    public static Option<string> Create() => new("--conv")
    {
        Description = "hidden convs at inference: direct (libtorch), winograd (F(4x4,3x3), float32, about 2x faster per conv on AVX-512, "
                      + "within 1e-6 of direct) or auto (winograd on a CPU with AVX-512 when the convs run in fp32, direct elsewhere). Default: auto",
        DefaultValueFactory = _ => "auto",
    };

    public static ConvAlgorithm Resolve(ParseResult parse, Option<string> option, ConvPrecision precision, torch.Device device)
    {
        string text = parse.GetValue(option)!;
        return ConvAlgorithmChoice.Resolve(text, precision, device.type == DeviceType.CPU)
               ?? throw new VdsrUserException($"--conv {text}: expected auto, direct or winograd");
    }
}
