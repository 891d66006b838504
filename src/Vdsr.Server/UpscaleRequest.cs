using System.Globalization;
using Microsoft.AspNetCore.Http;
using Vdsr.Cli;
using Vdsr.Core;

namespace Vdsr.Server;

/// <summary>
/// What a request asks for, from its query: `scale` (2..8, default 4 as vdsr-demo), `model` (an id
/// of the catalog, default the first), `mode` (`upscale`, the default, or `ground-truth`: the
/// picture is shrunk and enlarged again and both results are measured against it) and `name` (the
/// file name, for messages and downloads, when the body is the raw file).
/// </summary>
public sealed record UpscaleRequest(int Scale, string? ModelId, bool GroundTruth, string? Name)
{
    public const int DefaultScale = 4;

    public static UpscaleRequest Parse(IQueryCollection query)
    {
        int scale = DefaultScale;
        string? scaleText = query["scale"];
        if (scaleText is not null)
        {
            if (!int.TryParse(scaleText, NumberStyles.None, CultureInfo.InvariantCulture, out scale) || scale > 1000)
                throw new VdsrUserException($"scale: '{scaleText}' is not an integer factor between 2 and 8");
            ScaleList.Check(scale, "scale");
        }
        string mode = query["mode"].ToString() is { Length: > 0 } m ? m : "upscale";
        bool groundTruth = mode switch
        {
            "upscale" => false,
            "ground-truth" => true,
            _ => throw new VdsrUserException($"mode: '{mode}' is not upscale or ground-truth"),
        };
        return new UpscaleRequest(scale, query["model"].ToString() is { Length: > 0 } model ? model : null, groundTruth, query["name"]);
    }
}
