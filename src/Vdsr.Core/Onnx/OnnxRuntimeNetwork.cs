using Microsoft.ML.OnnxRuntime;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;

namespace Vdsr.Core.Onnx;

/// <summary>A VDSR ONNX model in an ONNX Runtime session on the CPU: the tiled-inference network without libtorch.</summary>
public sealed class OnnxRuntimeNetwork : ITileNetwork, IDisposable
{
    private static readonly string[] InputNames = [OnnxGraph.InputName];
    private static readonly string[] OutputNames = [OnnxGraph.OutputName];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string _source;

    public OnnxVdsrModel Model { get; }

    /// <param name="threads">intra-op threads (the conv kernels); one inter-op thread, as the graph is a chain.</param>
    public OnnxRuntimeNetwork(OnnxVdsrModel model, int threads)
    {
        if (threads < 1) throw new VdsrUserException($"--threads must be at least 1 (got {threads})");
        Model = model;
        _source = model.Source;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            _session = new InferenceSession(model.Bytes, options);
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or TypeInitializationException)
        {
            throw new VdsrUserException($"{_source}: ONNX Runtime cannot load the model ({ErrorText.OneLine(FirstLine(e))})", e);
        }
    }

    public VdsrArchitecture Architecture => Model.Architecture;

    public string Plan => $"onnxruntime {Model.Precision}";

    public void Forward(float[] input, int height, int width, float[] output)
    {
        long[] shape = [1, 1, height, width];
        int pixels = height * width;
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, pixels), shape);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, pixels), shape);
        try
        {
            _session.Run(_runOptions, InputNames, [inputValue], OutputNames, [outputValue]);
        }
        catch (OnnxRuntimeException e)
        {
            throw new VdsrUserException($"{_source}: ONNX Runtime failed on a {height}x{width} tile ({ErrorText.OneLine(FirstLine(e))})", e);
        }
    }

    private static string FirstLine(Exception e) => (e.InnerException is DllNotFoundException inner ? inner.Message : e.Message).Split('\n')[0].Trim();

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
