using Google.Protobuf;
using Onnx;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using Vdsr.Core.Onnx;
using Vdsr.Core.Pruning;
using Vdsr.Core.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Onnx;

/// <summary>
/// The exported ONNX graph computes what the TorchSharp network computes: ONNX Runtime's output on
/// the golden butterfly x4 input equals libtorch's within 1e-5, for the published weights and for a
/// pruned width set, through the file and whole or tiled.
/// </summary>
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private static StateDict Original() => CheckpointFile.Load(TestPaths.InRepo("models", "model_epoch_50.pth"));

    private static TensorData ButterflyInput() => Npy.Read(TestPaths.Fixture("golden", "butterfly_x4_input_f32.npy"));

    private static float[] TorchForward(StateDict state, float[] input, int height, int width)
    {
        TorchRuntime.EnsureInitialized();
        using var net = ModelStore.ToNet(state, "weights");
        var result = new float[input.Length];
        new TorchTileNetwork(net, CPU).Forward(input, height, width, result);
        return result;
    }

    private static float[] OnnxForward(OnnxVdsrModel model, float[] input, int height, int width)
    {
        using var network = new OnnxRuntimeNetwork(model, threads: 2);
        var result = new float[input.Length];
        network.Forward(input, height, width, result);
        return result;
    }

    private static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();

    public static TheoryData<int> Opsets() => [13, 17];

    [Theory]
    [MemberData(nameof(Opsets))]
    public void OnnxRuntimeMatchesTorchOnTheButterflyForThePublishedWeights(int opset)
    {
        using var temp = new TempFolder();
        var state = Original();
        string path = temp.File("vdsr.onnx");
        OnnxModelFile.Write(path, OnnxExporter.Export(state, "model_epoch_50.pth", new OnnxExportOptions { Opset = opset, SourceModel = "model_epoch_50.pth" }));
        var model = OnnxModelFile.Read(path);
        Assert.Equal(VdsrArchitecture.Original, model.Architecture);
        Assert.Equal("fp32", model.Precision);
        Assert.Equal(opset, model.Opset);

        var input = ButterflyInput();
        var torchOutput = TorchForward(state, input.Data, 252, 252);
        var onnxOutput = OnnxForward(model, input.Data, 252, 252);
        double difference = MaxDifference(torchOutput, onnxOutput);
        output.WriteLine($"opset {opset}: max |ONNX Runtime - TorchSharp| on butterfly x4 = {difference:E3}, file {new FileInfo(path).Length} bytes");
        Assert.True(difference <= Tolerance, $"max |diff| {difference:E3} > {Tolerance:E0}");
        var golden = Npy.Read(TestPaths.Fixture("golden", "butterfly_x4_im_h_y_raw_f32.npy"));
        Assert.True(MaxDifference(golden.Data, onnxOutput) <= 2e-5, "ONNX Runtime strays from PyTorch's golden output");
    }

    [Fact]
    public void OnnxRuntimeMatchesTorchForAPrunedWidthSet()
    {
        var pruned = Pruner.Prune(Original(), new PruningSettings { Config = PruneConfig.Uniform(0.5) }, "model_epoch_50.pth");
        var model = OnnxVdsrModel.FromProto(OnnxExporter.Export(pruned.Weights, "pruned", new OnnxExportOptions()), "pruned");
        Assert.Equal(pruned.Architecture, model.Architecture);
        Assert.All(model.Architecture.HiddenWidths, w => Assert.Equal(32, w));

        var input = ButterflyInput();
        double difference = MaxDifference(TorchForward(pruned.Weights, input.Data, 252, 252), OnnxForward(model, input.Data, 252, 252));
        output.WriteLine($"pruned {model.Architecture}: max |ONNX Runtime - TorchSharp| = {difference:E3}");
        Assert.True(difference <= Tolerance, $"max |diff| {difference:E3} > {Tolerance:E0}");
    }

    [Fact]
    public void UnevenWidthsExportAndRun()
    {
        var architecture = new VdsrArchitecture([5, 3, 7]);
        var random = new Random(3);
        var state = new StateDict();
        for (int layer = 0; layer < architecture.Depth; layer++)
        {
            var shape = architecture.WeightShape(layer);
            var data = Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            state.Add(architecture.LayerName(layer), new TensorData(shape, data));
        }
        var model = OnnxVdsrModel.FromProto(OnnxExporter.Export(state, "random", new OnnxExportOptions()), "random");
        Assert.Equal(architecture, model.Architecture);
        var input = Enumerable.Range(0, 17 * 23).Select(i => (float)(i % 11) / 11).ToArray();
        double difference = MaxDifference(TorchForward(state, input, 17, 23), OnnxForward(model, input, 17, 23));
        Assert.True(difference <= Tolerance, $"max |diff| {difference:E3} > {Tolerance:E0}");
    }

    [Fact]
    public void TiledOnnxRuntimeInferenceEqualsOneTile()
    {
        var model = OnnxVdsrModel.FromProto(OnnxExporter.Export(Original(), "original", new OnnxExportOptions()), "original");
        using var network = new OnnxRuntimeNetwork(model, threads: 2);
        var input = ButterflyInput().Data;
        var whole = new TiledInference(network).Run(input, 252, 252);
        int tiles = 0;
        var tiled = new TiledInference(network, new TilingOptions { TileSize = 100 }).Run(input, 252, 252, (_, total) => tiles = total);
        Assert.Equal(9, tiles);
        Assert.True(MaxDifference(whole, tiled) <= 1e-6, $"tiles differ from the whole image by {MaxDifference(whole, tiled):E3}");
    }

    [Fact]
    public void MetadataDescribesTheModel()
    {
        var proto = OnnxExporter.Export(Original(), "original", new OnnxExportOptions { SourceModel = "model_epoch_50.pth" });
        var model = OnnxVdsrModel.FromProto(proto, "original");
        Assert.Equal(string.Join(",", Enumerable.Repeat(64, 19)), model.Metadata[OnnxMetadata.HiddenWidthsKey]);
        Assert.Equal("fp32", model.Metadata[OnnxMetadata.PrecisionKey]);
        Assert.Equal("model_epoch_50.pth", model.Metadata[OnnxMetadata.SourceModelKey]);
        Assert.Contains("Y", model.Metadata[OnnxMetadata.ConventionKey]);
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal(20, proto.Graph.Initializer.Count);
        Assert.Equal(["N", "1", "H", "W"], proto.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString()));
    }

    [Fact]
    public void AnOnnxFileIsNotReadAsACheckpoint()
    {
        using var temp = new TempFolder();
        string path = temp.File("model.pth");
        OnnxModelFile.Write(path, OnnxExporter.Export(Original(), "original", new OnnxExportOptions()));
        Assert.Equal(VdsrArchitecture.Original, OnnxModelFile.ReadIfOnnx(path)!.Architecture);
        Assert.Null(OnnxModelFile.ReadIfOnnx(TestPaths.InRepo("models", "model_epoch_50.pth")));
        var error = Assert.ThrowsAny<VdsrUserException>(() => CheckpointFile.Load(path));
        Assert.Equal($"{path}: an ONNX model, not a checkpoint (ONNX Runtime runs it)", error.Message);
    }

    [Fact]
    public void ExternalDataIsRefused()
    {
        using var temp = new TempFolder();
        var proto = OnnxExporter.Export(Original(), "original", new OnnxExportOptions());
        var weight = proto.Graph.Initializer[3];
        weight.RawData = ByteString.Empty;
        weight.DataLocation = TensorProto.Types.DataLocation.External;
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "/etc/passwd" });
        string path = temp.File("external.onnx");
        File.WriteAllBytes(path, proto.ToByteArray());
        var error = Assert.Throws<VdsrUserException>(() => OnnxModelFile.Read(path));
        Assert.Equal($"{path}: initializer '{weight.Name}' refers to external data; the weights must be inside the model file", error.Message);
    }

    [Fact]
    public void FieldsTheSchemaDoesNotKnowAreNotPassedToTheRuntime()
    {
        var proto = OnnxExporter.Export(Original(), "original", new OnnxExportOptions());
        byte[] known = proto.ToByteArray();
        byte[] unknown = [0xC8, 0x3E, 0x01]; // field 1001, varint 1: in no ONNX schema
        var model = OnnxVdsrModel.FromBytes([.. known, .. unknown], "with-unknown");
        Assert.Equal(known, model.Bytes);
    }

    [Fact]
    public void OpsetOutsideTheWrittenRangeIsRefused()
    {
        var error = Assert.Throws<VdsrUserException>(() => OnnxExporter.Export(Original(), "original", new OnnxExportOptions { Opset = 12 }));
        Assert.Equal("opset 12 is not written here: expected 13 to 17", error.Message);
    }
}
