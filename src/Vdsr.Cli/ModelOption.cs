using System.CommandLine;
using TorchSharp;
using Vdsr.Core;
using Vdsr.Core.Model;

namespace Vdsr.Cli;

/// <summary>`--model`: any checkpoint format the toolkit reads; defaults to the bundled pretrained model.</summary>
public static class ModelOption
{
    public static Option<string> Create(string description = "model path", bool orOnnx = false) => new("--model")
    {
        Description = $"{description} (default: {BundledPaths.PretrainedModel}; .pth legacy or zip, .safetensors, or this toolkit's checkpoints"
                      + (orOnnx ? "; or an .onnx model from vdsr-convert" : "") + $"; or a bundled model by name: {string.Join(", ", Names.Keys)})",
        DefaultValueFactory = _ => BundledPaths.PretrainedModel,
    };

    public static VdsrNet Load(string? path, torch.Device device, ConvPlan plan = default) => ModelStore.LoadNet(Resolve(path), device, plan);

    /// <summary>The bundled models by name: "original" (the published model), "pruned" (0.5, recovered) and its ONNX exports.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>
    {
        ["original"] = BundledPaths.PretrainedModel,
        ["pruned"] = BundledPaths.PrunedModel,
        ["pruned-onnx"] = BundledPaths.PrunedOnnxModel,
        ["pruned-int8"] = BundledPaths.PrunedInt8Model,
    };

    /// <summary>
    /// The model file <paramref name="path"/> (default: the bundled model; a name from <see cref="Names"/>
    /// unless a file of that name exists) names, found as <see cref="BundledPaths"/> finds it.
    /// </summary>
    public static string Resolve(string? path)
    {
        path ??= BundledPaths.PretrainedModel;
        if (Names.TryGetValue(path, out var bundled) && !File.Exists(path)) path = bundled;
        var resolved = BundledPaths.Resolve(path, "model file");
        if (!File.Exists(resolved)) throw new VdsrUserException($"{resolved}: not a file");
        return resolved;
    }
}
