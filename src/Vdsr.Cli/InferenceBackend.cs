using System.CommandLine;
using Vdsr.Core;

namespace Vdsr.Cli;

/// <summary>`--backend auto|torch|onnxruntime`: what runs the network in vdsr-eval and vdsr-demo.</summary>
public enum InferenceBackend
{
    Torch,
    OnnxRuntime,
}

public static class InferenceBackendOption
{
    public static Option<string> Create() => new("--backend")
    {
        Description = "what runs the network: torch (libtorch: fp32 or bf16, CPU or CUDA), onnxruntime (ONNX Runtime on the CPU: an exported .onnx model, "
                      + "float32 or int8, or a checkpoint exported on the fly) or auto (onnxruntime for an ONNX model, torch otherwise). Default: auto",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>The backend asked for; auto follows the model file's content.</summary>
    public static InferenceBackend Resolve(string text, bool modelIsOnnx) => text switch
    {
        "auto" => modelIsOnnx ? InferenceBackend.OnnxRuntime : InferenceBackend.Torch,
        "torch" => InferenceBackend.Torch,
        "onnxruntime" => InferenceBackend.OnnxRuntime,
        _ => throw new VdsrUserException($"--backend {text}: expected auto, torch or onnxruntime"),
    };
}
