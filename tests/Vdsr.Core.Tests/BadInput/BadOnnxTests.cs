using Google.Protobuf;
using Onnx;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Onnx;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>ONNX files that are not VDSR graphs, or that break the ONNX format, through <see cref="OnnxModelFile.Read"/>.</summary>
public sealed class BadOnnxTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly VdsrArchitecture Tiny = new([4, 4, 4]);

    /// <summary>Seeded random weights of widths [4, 4, 4].</summary>
    internal static StateDict TinyWeights()
    {
        var random = new Random(5);
        var state = new StateDict();
        for (int layer = 0; layer < Tiny.Depth; layer++)
        {
            var shape = Tiny.WeightShape(layer);
            var data = Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            state.Add(Tiny.LayerName(layer), new TensorData(shape, data));
        }
        return state;
    }

    /// <summary>The fp32 export of <see cref="TinyWeights"/>.</summary>
    internal static ModelProto TinyModel(int opset = OnnxExportOptions.DefaultOpset) =>
        OnnxExporter.Export(TinyWeights(), "tiny", new OnnxExportOptions { Opset = opset });

    /// <summary>
    /// <see cref="TinyWeights"/> as a QDQ graph: every conv reads an int8 weight (per output channel
    /// scale, axis 0) through DequantizeLinear and its input through a uint8 QuantizeLinear/DequantizeLinear pair.
    /// </summary>
    internal static ModelProto TinyInt8Model()
    {
        var state = TinyWeights();
        var graph = OnnxExporter.NewGraph(Tiny);
        graph.Initializer.Add(OnnxGraph.FloatScalar("activation_scale", 1 / 64f));
        graph.Initializer.Add(OnnxGraph.UInt8Scalar("activation_zero_point", 0));
        string x = OnnxGraph.InputName;
        for (int layer = 0; layer < Tiny.Depth; layer++)
        {
            string weight = Tiny.LayerName(layer);
            var shape = Tiny.WeightShape(layer);
            var data = state[weight].Data;
            int filters = (int)shape[0];
            var (quantized, scales) = Int8Exporter.QuantizePerFilter(data, filters, 127);
            graph.Initializer.Add(OnnxGraph.Int8Tensor(weight + "_quantized", shape, quantized));
            graph.Initializer.Add(OnnxGraph.FloatTensor(weight + "_scale", [filters], scales));
            graph.Initializer.Add(OnnxGraph.Int8Tensor(weight + "_zero_point", [filters], new sbyte[filters]));
            var dequantize = OnnxGraph.Node("DequantizeLinear", $"dequantize_weight{layer}", [weight + "_quantized", weight + "_scale", weight + "_zero_point"], weight);
            dequantize.Attribute.Add(OnnxGraph.Int("axis", 0));
            graph.Node.Add(dequantize);
            graph.Node.Add(OnnxGraph.Node("QuantizeLinear", $"quantize{layer}", [x, "activation_scale", "activation_zero_point"], $"x{layer}_quantized"));
            graph.Node.Add(OnnxGraph.Node("DequantizeLinear", $"dequantize{layer}", [$"x{layer}_quantized", "activation_scale", "activation_zero_point"], $"x{layer}"));
            x = OnnxExporter.AddConvLayer(graph, Tiny, layer, $"x{layer}", weight);
        }
        graph.Node.Add(OnnxGraph.Node("Add", "residual", [OnnxGraph.InputName, x], OnnxGraph.OutputName));
        return OnnxExporter.NewModel(graph, new OnnxExportOptions(), OnnxMetadata.For(Tiny, "int8", "tiny"));
    }

    private string Write(string name, byte[] bytes)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(ModelProto model) => Write("bad.onnx", model.ToByteArray());

    /// <summary>The reader refuses <paramref name="path"/> with exactly "path: <paramref name="message"/>", allocating little.</summary>
    private static void Refused(string path, string message) =>
        Assert.Equal($"{path}: {message}", UserErrorAssert.RefusesCheaply(path, () => OnnxModelFile.Read(path), message, maxBytes: 4 << 20).Message);

    private static NodeProto NodeNamed(ModelProto model, string name) => model.Graph.Node.Single(n => n.Name == name);

    private static TensorProto InitializerNamed(ModelProto model, string name) => model.Graph.Initializer.Single(t => t.Name == name);

    private static AttributeProto AttributeOf(NodeProto node, string name) => node.Attribute.Single(a => a.Name == name);

    /// <summary>An initializer whose data sits in <paramref name="location"/> (a file next to the model), as ONNX stores large weights.</summary>
    private static TensorProto ExternalTensor(string name, string location)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        tensor.Dims.AddRange([4L, 1, 3, 3]);
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "0" });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "144" });
        return tensor;
    }

    private static float[] Run(string path)
    {
        var model = OnnxModelFile.Read(path);
        Assert.Equal(Tiny, model.Architecture);
        using var network = new OnnxRuntimeNetwork(model, threads: 1);
        var input = Enumerable.Range(0, 64).Select(i => (float)(i % 9) / 9).ToArray();
        var output = new float[64];
        network.Forward(input, 8, 8, output);
        return output;
    }

    [Fact]
    public void TheSeedsReadAndRun()
    {
        // The models the cases below (and the fuzz tests) bend: unbent, the reader takes them, ONNX
        // Runtime runs them, and the int8 graph computes about what the fp32 one does.
        string fp32 = Write("tiny-fp32.onnx", TinyModel().ToByteArray()), int8 = Write("tiny-int8.onnx", TinyInt8Model().ToByteArray());
        Assert.Equal("fp32", OnnxModelFile.Read(fp32).Precision);
        Assert.Equal("int8", OnnxModelFile.Read(int8).Precision);
        float[] exact = Run(fp32), quantized = Run(int8);
        double difference = exact.Zip(quantized, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(difference < 0.05, $"int8 differs from fp32 by {difference}");
        Assert.True(exact.Zip(quantized).Count(p => p.First != p.Second) > 32, "the int8 graph computes exactly the fp32 one: is it quantized?");
    }

    [Fact]
    public void EmptyFileIsRefused() => Refused(Write("empty.onnx", []), "file is empty");

    [Fact]
    public void MissingFileIsRefused()
    {
        string path = _temp.File("missing.onnx");
        Refused(path, $"cannot read the ONNX model (Could not find file '{path}'.)");
    }

    [Fact]
    public void TruncatedFileIsRefused()
    {
        var bytes = TinyModel().ToByteArray();
        Refused(Write("truncated.onnx", bytes[..(bytes.Length / 2)]),
            "not a valid ONNX model (While parsing a protocol message, the input ended unexpectedly in the middle of a field.  "
            + "This could mean either that the input has been truncated or that an embedded message misreported its own length.)");
    }

    [Fact]
    public void RandomBytesAreRefused()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        Refused(Write("random.onnx", bytes), "not a valid ONNX model (Protocol message contained an invalid tag (zero).)");
    }

    [Theory]
    [InlineData("legacy_state_dict_width4.pth")]
    [InlineData("ddp_state_dict_width4.pth")]
    [InlineData("vdsr_pretrained.safetensors")]
    public void CheckpointIsRefusedWithAHint(string name)
    {
        string path = Write("model.onnx", File.ReadAllBytes(TestPaths.Fixture("checkpoints", name)));
        Refused(path, "a checkpoint (PyTorch .pth or safetensors), not an ONNX model");
    }

    [Fact]
    public void ExternalDataLocationIsRefused()
    {
        var model = TinyModel();
        var weight = InitializerNamed(model, "input.weight");
        weight.RawData = ByteString.Empty;
        weight.DataLocation = TensorProto.Types.DataLocation.External;
        Refused(Write(model), "initializer 'input.weight' refers to external data; the weights must be inside the model file");
    }

    [Fact]
    public void ExternalDataEntriesAreRefused()
    {
        // Entries without data_location EXTERNAL: the check does not rest on that one field.
        var model = TinyModel();
        var tensor = ExternalTensor("unused", "weights.bin");
        tensor.DataLocation = TensorProto.Types.DataLocation.Default;
        model.Graph.Initializer.Add(tensor);
        Refused(Write(model), "initializer 'unused' refers to external data; the weights must be inside the model file");
    }

    [Fact]
    public void ExternalDataInsideAnAttributeIsRefused()
    {
        // ONNX Runtime's checker looks for such a file on disk before it finds the attribute's type wrong.
        var model = TinyInt8Model();
        var axis = AttributeOf(NodeNamed(model, "dequantize_weight0"), "axis");
        axis.Type = AttributeProto.Types.AttributeType.Tensor;
        axis.T = ExternalTensor("hidden", "weights.bin");
        Refused(Write(model), "node 'dequantize_weight0': attribute 'axis' is of type Tensor; VDSR graphs have only int, ints and string attributes");
    }

    [Fact]
    public void SubgraphInsideAnAttributeIsRefused()
    {
        var model = TinyModel();
        var subgraph = new GraphProto { Name = "hidden" };
        subgraph.Initializer.Add(ExternalTensor("hidden", "weights.bin"));
        AttributeOf(NodeNamed(model, "conv0"), "pads").G = subgraph;
        Refused(Write(model), "node 'conv0': attribute 'pads' holds a tensor, graph or type besides its Ints value");
    }

    [Fact]
    public void AttributeOfTheWrongTypeIsRefused()
    {
        var model = TinyModel();
        AttributeOf(NodeNamed(model, "conv2"), "group").Type = AttributeProto.Types.AttributeType.Ints;
        Refused(Write(model), "conv 'conv2': attribute 'group' is not that of a 3x3 conv with stride 1 and one pixel of padding");
    }

    [Fact]
    public void WrongInputNameIsRefused()
    {
        var model = TinyModel();
        model.Graph.Input[0].Name = "x";
        NodeNamed(model, "conv0").Input[0] = "x";
        NodeNamed(model, "residual").Input[0] = "x";
        Refused(Write(model), "expected one graph input named 'input', found 'x'");
    }

    [Fact]
    public void TwoInputsAreRefused()
    {
        var model = TinyModel();
        model.Graph.Input.Add(OnnxGraph.ImageValue("guide"));
        Refused(Write(model), "expected one graph input named 'input', found 'input', 'guide'");
    }

    [Fact]
    public void FixedTileSizeIsRefused()
    {
        // An export without dynamic axes: ONNX Runtime would refuse every tile of another size.
        var model = TinyModel();
        var dims = model.Graph.Input[0].Type.TensorType.Shape.Dim;
        dims[2].DimValue = 252;
        dims[3].DimValue = 252;
        Refused(Write(model), "'input' has shape [N, 1, 252, 252]; expected [N, 1, H, W] with H and W free (tiles of any size) and N free or 1");
    }

    [Fact]
    public void UnsupportedOperatorIsRefused()
    {
        var model = TinyModel();
        NodeNamed(model, "relu1").OpType = "Sigmoid";
        Refused(Write(model), "node 'relu1' is a Sigmoid; VDSR graphs use only Conv, Relu, Add, QuantizeLinear, DequantizeLinear");
    }

    [Fact]
    public void StridedConvIsRefused()
    {
        var model = TinyModel();
        var strides = AttributeOf(NodeNamed(model, "conv1"), "strides");
        strides.Ints.Clear();
        strides.Ints.AddRange([2L, 2]);
        Refused(Write(model), "conv 'conv1': attribute 'strides' is not that of a 3x3 conv with stride 1 and one pixel of padding");
    }

    [Fact]
    public void ConvWithoutPaddingIsRefused()
    {
        var model = TinyModel();
        var conv = NodeNamed(model, "conv1");
        conv.Attribute.Remove(AttributeOf(conv, "pads"));
        Refused(Write(model), "conv 'conv1' has no padding; VDSR convs keep the image size (pads 1,1,1,1)");
    }

    [Fact]
    public void RawDataShorterThanTheDimsIsRefused()
    {
        var model = TinyModel();
        var weight = InitializerNamed(model, "residual_layer.0.conv.weight");
        weight.RawData = ByteString.CopyFrom(weight.RawData.Span[4..]);
        Refused(Write(model), "initializer 'residual_layer.0.conv.weight' holds 143 values but its shape [4, 4, 3, 3] needs 144");
    }

    [Fact]
    public void RawDataOfAPartialValueIsRefused()
    {
        var model = TinyModel();
        var weight = InitializerNamed(model, "output.weight");
        weight.RawData = ByteString.CopyFrom([.. weight.RawData.Span, 0]);
        Refused(Write(model), "initializer 'output.weight' has 145 bytes of raw data, not a whole number of 4-byte values");
    }

    [Fact]
    public void DimsWhoseProductOverflowsAreRefused()
    {
        var model = TinyModel();
        var weight = InitializerNamed(model, "residual_layer.1.conv.weight");
        weight.Dims.Clear();
        weight.Dims.AddRange([int.MaxValue, int.MaxValue, int.MaxValue, 3]);
        Refused(Write(model), "initializer 'residual_layer.1.conv.weight' is too large");
    }

    [Fact]
    public void NegativeDimIsRefused()
    {
        var model = TinyModel();
        InitializerNamed(model, "input.weight").Dims[1] = -1;
        Refused(Write(model), "initializer 'input.weight' has dimension -1");
    }

    [Fact]
    public void OldOpsetIsRefused()
    {
        var model = TinyModel();
        model.OpsetImport[0].Version = 9;
        Refused(Write(model), "opset 9 is not supported (13 to 21 are)");
    }

    [Fact]
    public void OldIrVersionIsRefused()
    {
        var model = TinyModel();
        model.IrVersion = 3;
        Refused(Write(model), "ONNX IR version 3 is not supported (7 to 10 are)");
    }

    [Fact]
    public void ForeignOperatorDomainIsRefused()
    {
        var model = TinyModel();
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        Refused(Write(model), "operator domain 'com.microsoft' is not used by VDSR graphs");
    }

    [Fact]
    public void NodeOfAForeignDomainIsRefused()
    {
        var model = TinyModel();
        NodeNamed(model, "conv0").Domain = "com.microsoft";
        Refused(Write(model), "node 'conv0' is a com.microsoft.Conv; VDSR graphs use only Conv, Relu, Add, QuantizeLinear, DequantizeLinear");
    }

    [Fact]
    public void NodeReadingAnUndefinedValueIsRefused()
    {
        var model = TinyModel();
        NodeNamed(model, "relu1").Input[0] = "nothing";
        Refused(Write(model), "node 'relu1' reads 'nothing', which is not defined before it");
    }

    [Fact]
    public void NodeReadingALaterValueIsRefused()
    {
        var model = TinyModel();
        NodeNamed(model, "conv1").Input[0] = "relu2_out";
        Refused(Write(model), "node 'conv1' reads 'relu2_out', which is not defined before it");
    }

    [Fact]
    public void GraphOutputNotProducedIsRefused()
    {
        var model = TinyModel();
        NodeNamed(model, "residual").Output[0] = "sum";
        Refused(Write(model), "no node produces the graph output 'output'");
    }

    [Fact]
    public void GraphOutputThatIsAnInitializerIsRefused()
    {
        // The check once counted initializers as produced: the model then ignored its input.
        var model = TinyModel();
        NodeNamed(model, "residual").Output[0] = "sum";
        model.Graph.Initializer.Add(OnnxGraph.FloatTensor("output", [1, 1, 8, 8], new float[64]));
        Refused(Write(model), "no node produces the graph output 'output'");
    }

    [Fact]
    public void ConvChainWhoseChannelsDisagreeIsRefused()
    {
        var model = TinyModel();
        var weight = InitializerNamed(model, "residual_layer.1.conv.weight");
        weight.Dims[1] = 3;
        weight.RawData = ByteString.CopyFrom(weight.RawData.Span[..(4 * 3 * 9 * sizeof(float))]);
        Refused(Write(model), "conv 'conv2' takes 3 channels but the layer before gives 4");
    }

    [Fact]
    public void ConvReadingTheWrongValueIsRefused()
    {
        // In node order the chain is intact; the data flow is not (ONNX Runtime failed on the first tile).
        var model = TinyModel();
        NodeNamed(model, "conv1").Input[0] = "input";
        Refused(Write(model), "conv 'conv1' takes 4 channels but its input 'input' has 1");
    }

    [Fact]
    public void AddOfDifferentChannelCountsIsRefused()
    {
        var model = TinyModel();
        NodeNamed(model, "residual").Input[0] = "relu2_out";
        Refused(Write(model), "Add node 'residual' adds 'relu2_out' of 4 channels to 'residual_out' of 1");
    }

    [Fact]
    public void GraphOutputNotComputedFromTheInputIsRefused()
    {
        var model = TinyInt8Model();
        NodeNamed(model, "residual").Output[0] = "sum";
        model.Graph.Node.Add(OnnxGraph.Node("DequantizeLinear", "constant", ["output.weight_quantized", "output.weight_scale", "output.weight_zero_point"], "output"));
        Refused(Write(model), "the graph output 'output' is not computed from the input image");
    }

    [Fact]
    public void TwoOutputsAreRefused()
    {
        var model = TinyModel();
        model.Graph.Output.Add(OnnxGraph.ImageValue("relu2_out"));
        Refused(Write(model), "expected one graph output named 'output', found 'output', 'relu2_out'");
    }

    [Fact]
    public void ConvWithABiasIsRefused()
    {
        var model = TinyModel();
        model.Graph.Initializer.Add(OnnxGraph.FloatTensor("bias", [4], new float[4]));
        NodeNamed(model, "conv0").Input.Add("bias");
        Refused(Write(model), "conv 'conv0' must have an input and a weight (VDSR convs have no bias)");
    }

    [Fact]
    public void Int8WeightOfTheWrongTypeIsRefused()
    {
        var model = TinyInt8Model();
        InitializerNamed(model, "input.weight_quantized").DataType = (int)TensorProto.Types.DataType.Uint8;
        Refused(Write(model), "conv 'conv0' weight 'input.weight' is neither an initializer nor a dequantized int8 initializer");
    }

    [Fact]
    public void QuantizationScaleOfTheWrongTypeIsRefused()
    {
        var model = TinyInt8Model();
        var scale = InitializerNamed(model, "activation_scale");
        scale.DataType = (int)TensorProto.Types.DataType.Int8;
        scale.RawData = ByteString.CopyFrom([1]);
        Refused(Write(model), "QuantizeLinear 'quantize0': scale and zero point must be scalar or 1-D initializers (a float scale, an int8 or uint8 zero point)");
    }

    [Fact]
    public void OnnxRuntimeLoadErrorsKeepTheirPointInOneLine()
    {
        // The graph check leaves a repeated attribute to ONNX Runtime, whose message spells out the
        // node's inputs first: with these names the point fell beyond the 300 characters of a message.
        var model = TinyInt8Model();
        var dequantize = NodeNamed(model, "dequantize_weight1");
        dequantize.Attribute.Add(OnnxGraph.Int("axis", 0));
        string path = Write(model);
        var e = UserErrorAssert.Refuses(path, () => new OnnxRuntimeNetwork(OnnxModelFile.Read(path), threads: 1), "ONNX Runtime");
        Assert.Equal($"{path}: ONNX Runtime cannot load the model ([ErrorCode:InvalidGraph] This is an invalid model. "
                     + "In node 'dequantize_weight1' (DequantizeLinear): Attribute 'axis' appeared multiple times.)", e.Message);
    }

    [Fact]
    public void OnnxRuntimeErrorsAreOneLineNamingTheFile()
    {
        // A per-channel scale with one value too few passes the graph check; ONNX Runtime refuses it on
        // the first tile, in a message that starts with the source location and C++ signature of its check.
        var model = TinyInt8Model();
        var scale = InitializerNamed(model, "residual_layer.0.conv.weight_scale");
        scale.Dims[0] = 3;
        scale.RawData = ByteString.CopyFrom(scale.RawData.Span[..12]);
        string path = Write(model);
        var e = UserErrorAssert.Refuses(path, () =>
        {
            using var network = new OnnxRuntimeNetwork(OnnxModelFile.Read(path), threads: 1);
            network.Forward(new float[64], 8, 8, new float[64]);
        }, "ONNX Runtime");
        Assert.Equal($"{path}: ONNX Runtime failed on a 8x8 tile ([ErrorCode:Fail] Non-zero status code returned while running QLinearConv node. "
                     + "Name:'conv1_token_4' Status Message: QLinearConv : filter scale shape invalid)", e.Message);
    }
}
