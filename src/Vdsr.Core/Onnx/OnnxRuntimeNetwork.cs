using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;

namespace Vdsr.Core.Onnx;

/// <summary>A VDSR ONNX model in an ONNX Runtime session on the CPU: the tiled-inference network without libtorch.</summary>
public sealed partial class OnnxRuntimeNetwork : ITileNetwork, IDisposable
{
    private static readonly string[] InputNames = [OnnxGraph.InputName];
    private static readonly string[] OutputNames = [OnnxGraph.OutputName];

    private readonly InferenceSession _session;
    /// <summary>
    /// ONNX Runtime's errors come back as exceptions, which become one line naming the file; its log
    /// would print them to stderr once more (several coloured lines), so only fatal entries are logged.
    /// </summary>
    private readonly RunOptions _runOptions = new() { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };

    public OnnxVdsrModel Model { get; }

    /// <param name="threads">intra-op threads (the conv kernels); one inter-op thread, as the graph is a chain.</param>
    public OnnxRuntimeNetwork(OnnxVdsrModel model, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Model = model;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        try
        {
            _session = new InferenceSession(model.Bytes, options);
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or TypeInitializationException)
        {
            throw new VdsrUserException($"{Model.Source}: ONNX Runtime cannot load the model ({ErrorText.OneLine(Reason(e))})", e);
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
            throw new VdsrUserException($"{Model.Source}: ONNX Runtime failed on a {height}x{width} tile ({ErrorText.OneLine(Reason(e))})", e);
        }
    }

    /// <summary>
    /// ONNX Runtime's message made short enough to keep its point within the one line (which
    /// <see cref="ErrorText.OneLine"/> caps): the lines joined (the first alone can be a heading whose
    /// facts follow: "Got invalid dimensions for input: input for the following indices" / "index: 2
    /// Got: 8 Expected: 5"); a node's full signature cut to its name and operator ("In Node,
    /// ("conv1", Conv, "", -1) : ("relu0_out": tensor(float), ...) -> ("conv1_out",) , Error X" reads
    /// "In node 'conv1' (Conv): X"); and the source location, C++ signature and condition of a failed
    /// check dropped ("qlinearconv.cc:93 static std::vector&lt;float&gt; ... IsValidQuantParam(W_scale, M) was false. ").
    /// </summary>
    private static string Reason(Exception e)
    {
        string text = string.Join(" ", (e.InnerException is DllNotFoundException inner ? inner.Message : e.Message)
            .Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        text = NodeSignature().Replace(text, "In node '${name}' (${op}): ");
        return FailedCheck().Replace(text, "");
    }

    [GeneratedRegex(@"In Node, \(""(?<name>[^""]*)"", (?<op>\w+), ""[^""]*"", -?\d+\) : \(.*?\) -> \(.*?\) , Error ")]
    private static partial Regex NodeSignature();

    [GeneratedRegex(@"\S+\.(?:cc|cpp|h):\d+ .*? was false\. ")]
    private static partial Regex FailedCheck();

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
