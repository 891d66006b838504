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
                      + (orOnnx ? "; or an .onnx model from vdsr-convert)" : ")"),
        DefaultValueFactory = _ => BundledPaths.PretrainedModel,
    };

    public static VdsrNet Load(string? path, torch.Device device) => ModelStore.LoadNet(Resolve(path), device);

    /// <summary>The model file <paramref name="path"/> (default: the bundled model) names, found as <see cref="BundledPaths"/> finds it.</summary>
    public static string Resolve(string? path)
    {
        var resolved = BundledPaths.Resolve(path ?? BundledPaths.PretrainedModel, "model file");
        if (!File.Exists(resolved)) throw new VdsrUserException($"{resolved}: not a file");
        return resolved;
    }
}
