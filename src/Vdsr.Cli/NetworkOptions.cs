using System.CommandLine;
using Vdsr.Core;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using Vdsr.Core.Onnx;
using Vdsr.Core.Runtime;

namespace Vdsr.Cli;

/// <summary>
/// The options of a tool that runs the network on images (vdsr-eval, vdsr-demo): the model, the
/// backend, the device and threads, the precision, the conv algorithm and the tile memory; and the
/// one place that turns them into a running network.
/// </summary>
public sealed class NetworkOptions
{
    public DeviceOptions Device { get; } = new(threadsIsComputeAlias: true, TorchWorkload.Inference);
    public Option<string> Model { get; } = ModelOption.Create(orOnnx: true);
    public Option<string> Backend { get; } = InferenceBackendOption.Create();
    public Option<string> Precision { get; }
    public Option<string> Conv { get; } = ConvOption.Create();
    public Option<int> TileMemory { get; } = TileMemoryOption.Create();

    public NetworkOptions(PrecisionRequest defaultPrecision) => Precision = PrecisionOption.Create(defaultPrecision);

    public void AddTo(Command command)
    {
        command.Add(Model);
        command.Add(Backend);
        command.Add(TileMemory);
        command.Add(Precision);
        command.Add(Conv);
        Device.AddTo(command);
    }

    /// <summary>Loads the model into the chosen backend. ONNX Runtime runs without loading libtorch.</summary>
    public RunningNetwork Load(ParseResult parse) => Load(parse, parse.GetValue(Model));

    /// <summary>
    /// Loads <paramref name="modelPath"/> with the other options of <paramref name="parse"/> (a tool that
    /// serves several models loads each the way --model would be loaded).
    /// </summary>
    public RunningNetwork Load(ParseResult parse, string? modelPath)
    {
        string path = ModelOption.Resolve(modelPath);
        var onnx = OnnxModelFile.ReadIfOnnx(path);
        var tiling = TileMemoryOption.Read(parse, TileMemory);
        return InferenceBackendOption.Resolve(parse.GetValue(Backend)!, onnx is not null) == InferenceBackend.OnnxRuntime
            ? LoadOnnxRuntime(parse, path, onnx, tiling)
            : LoadTorch(parse, path, onnx is not null, tiling);
    }

    private RunningNetwork LoadTorch(ParseResult parse, string path, bool isOnnx, TilingOptions tiling)
    {
        if (isOnnx) throw new VdsrUserException($"{path}: an ONNX model runs with --backend onnxruntime, not torch");
        var device = Device.Resolve(parse);
        var precision = PrecisionOption.Resolve(parse, Precision, device);
        var net = ModelOption.Load(path, device, new ConvPlan(precision, ConvOption.Resolve(parse, Conv, precision, device)));
        string description = PrecisionOption.Describe(parse, Precision, net.Precision) + $", convs: {net.Algorithm.Name()}";
        return new RunningNetwork(new TorchTileNetwork(net, device), tiling, description, net);
    }

    /// <param name="onnx">the model when the file is ONNX; null for a checkpoint, exported here in memory.</param>
    private RunningNetwork LoadOnnxRuntime(ParseResult parse, string path, OnnxVdsrModel? onnx, TilingOptions tiling)
    {
        if (parse.GetValue(Device.Cuda))
            throw new VdsrUserException("--cuda: the onnxruntime backend of this build runs on the CPU; use --backend torch for CUDA");
        if (PrecisionOption.Request(parse, Precision) == PrecisionRequest.Bf16)
            throw new VdsrUserException("--precision bf16: the onnxruntime backend runs the model as stored (fp32 or int8); use --backend torch for bf16");
        string conv = parse.GetValue(Conv)!;
        if (conv != "auto")
            throw new VdsrUserException($"--conv {conv}: the conv algorithm is chosen by ONNX Runtime; --conv applies to --backend torch");
        int threads = Device.Threads(parse);

        var model = onnx ?? OnnxVdsrModel.FromProto(
            OnnxExporter.Export(CheckpointFile.Load(path), path, new OnnxExportOptions { SourceModel = Path.GetFileName(path) }), path);
        var network = new OnnxRuntimeNetwork(model, threads);
        string origin = onnx is not null ? "" : ", exported from the checkpoint";
        return new RunningNetwork(network, tiling, $"Backend: onnxruntime ({model.Precision}{origin}, {threads} threads)", network);
    }
}

/// <summary>A loaded network ready to upscale, with a line saying what runs; disposing it frees the model.</summary>
public sealed class RunningNetwork(ITileNetwork network, TilingOptions tiling, string description, IDisposable owner) : IDisposable
{
    public Upscaler Upscaler { get; } = new(network, tiling);

    public string Description { get; } = description;

    public void Dispose() => owner.Dispose();
}
