using Onnx;
using Vdsr.Core.Model;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Vdsr.Core.Onnx;

/// <summary>
/// Decides whether an ONNX model is a VDSR graph this toolkit runs: one float input `input` [N,1,H,W]
/// and one output `output` of one channel, H and W free (tiles of any size); only Conv 3x3 (pads 1),
/// Relu, Add, QuantizeLinear and DequantizeLinear, with plain int, ints and string attributes; every
/// weight inside the file (external data is refused, in initializers and in tensors or graphs hidden
/// in attributes: a model file must not make the reader, or ONNX Runtime's checker, look for other
/// files). The channel count of every value computed from the input is followed through the graph, so
/// that convs, Adds and the output agree in channels before ONNX Runtime sees the graph (it would
/// only fail on the first tile). The architecture is read off the chain of convs, which fixes the tiling halo.
/// </summary>
internal static class OnnxGraphCheck
{
    public sealed record Result(VdsrArchitecture Architecture, string Precision, int Opset);

    public const int MinRunnableOpset = 13;
    public const int MaxRunnableOpset = 21;
    private const int MaxNodes = 10_000;

    private static readonly HashSet<string> Ops = new(StringComparer.Ordinal) { "Conv", "Relu", "Add", "QuantizeLinear", "DequantizeLinear" };

    public static Result Check(ModelProto model)
    {
        var graph = model.Graph ?? throw new InvalidDataException("the ONNX model has no graph");
        int opset = CheckOpsets(model);
        if (model.Functions.Count > 0 || model.TrainingInfo.Count > 0)
            throw new InvalidDataException("the ONNX model has functions or training info, which a VDSR model does not");
        if (graph.SparseInitializer.Count > 0) throw new InvalidDataException("sparse initializers are not supported");
        if (graph.Node.Count > MaxNodes) throw new InvalidDataException($"{graph.Node.Count} nodes, more than a VDSR graph has");

        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var tensor in graph.Initializer)
        {
            CheckTensor(tensor);
            if (!initializers.TryAdd(tensor.Name, tensor)) throw new InvalidDataException($"initializer '{tensor.Name}' appears twice");
        }
        CheckInterface(graph, initializers);

        var defined = new HashSet<string>(initializers.Keys, StringComparer.Ordinal) { OnnxGraph.InputName };
        var dequantized = new Dictionary<string, TensorProto>(StringComparer.Ordinal); // DequantizeLinear output -> its int8 initializer
        var images = new Dictionary<string, int>(StringComparer.Ordinal) { [OnnxGraph.InputName] = 1 }; // value computed from the input -> its channels
        var widths = new List<int>();
        bool quantized = false;
        foreach (var node in graph.Node)
        {
            CheckNode(node, defined);
            string output = node.Output[0];
            switch (node.OpType)
            {
                case "Conv":
                {
                    var weight = ConvWeight(node, initializers, dequantized, ref quantized);
                    long outChannels = weight.Dims[0], inChannels = weight.Dims[1];
                    int previousOut = widths.Count == 0 ? 1 : widths[^1];
                    if (inChannels != previousOut)
                        throw new InvalidDataException($"conv '{node.Name}' takes {inChannels} channels but the layer before gives {previousOut}");
                    int channels = Channels(node, node.Input[0], images);
                    if (inChannels != channels)
                        throw new InvalidDataException($"conv '{node.Name}' takes {inChannels} channels but its input '{node.Input[0]}' has {channels}");
                    if (outChannels < 1 || outChannels > 65_536) throw new InvalidDataException($"conv '{node.Name}' has {outChannels} filters");
                    widths.Add((int)outChannels);
                    images[output] = (int)outChannels;
                    break;
                }
                case "QuantizeLinear" or "DequantizeLinear":
                    CheckQuantizationParameters(node, initializers);
                    if (images.TryGetValue(node.Input[0], out int quantizedChannels)) images[output] = quantizedChannels;
                    else if (node.OpType == "DequantizeLinear" && initializers.TryGetValue(node.Input[0], out var stored)) dequantized[output] = stored;
                    break;
                case "Relu":
                    if (node.Input.Count != 1 || node.Attribute.Count != 0)
                        throw new InvalidDataException($"Relu node '{node.Name}' must have one input and no attributes");
                    images[output] = Channels(node, node.Input[0], images);
                    break;
                case "Add":
                {
                    if (node.Input.Count != 2 || node.Attribute.Count != 0)
                        throw new InvalidDataException($"Add node '{node.Name}' must have two inputs and no attributes");
                    int a = Channels(node, node.Input[0], images), b = Channels(node, node.Input[1], images);
                    if (a != b)
                        throw new InvalidDataException($"Add node '{node.Name}' adds '{node.Input[0]}' of {a} channels to '{node.Input[1]}' of {b}");
                    images[output] = a;
                    break;
                }
            }
            if (!defined.Add(output)) throw new InvalidDataException($"value '{output}' is produced twice");
        }
        if (!defined.Contains(OnnxGraph.OutputName) || initializers.ContainsKey(OnnxGraph.OutputName)) throw new InvalidDataException("no node produces the graph output 'output'");
        if (!images.TryGetValue(OnnxGraph.OutputName, out int outputChannels))
            throw new InvalidDataException("the graph output 'output' is not computed from the input image");
        if (outputChannels != 1) throw new InvalidDataException($"the graph output 'output' has {outputChannels} channels; a VDSR graph gives one");
        if (widths.Count < 2) throw new InvalidDataException($"{widths.Count} convs: a VDSR graph has at least two");
        if (widths[^1] != 1) throw new InvalidDataException($"the last conv has {widths[^1]} filters; a VDSR graph ends in one");
        return new Result(new VdsrArchitecture(widths.Take(widths.Count - 1).ToArray()), quantized ? "int8" : "fp32", opset);
    }

    private static int CheckOpsets(ModelProto model)
    {
        if (model.IrVersion is < 7 or > 10) throw new InvalidDataException($"ONNX IR version {model.IrVersion} is not supported (7 to 10 are)");
        int? opset = null;
        foreach (var import in model.OpsetImport)
        {
            if (import.Domain is not ("" or "ai.onnx"))
                throw new InvalidDataException($"operator domain '{import.Domain}' is not used by VDSR graphs");
            opset = (int)Math.Clamp(import.Version, int.MinValue, int.MaxValue);
        }
        if (opset is not int version) throw new InvalidDataException("the ONNX model imports no operator set");
        if (version is < MinRunnableOpset or > MaxRunnableOpset)
            throw new InvalidDataException($"opset {version} is not supported ({MinRunnableOpset} to {MaxRunnableOpset} are)");
        return version;
    }

    /// <summary>The channels of <paramref name="value"/>, which <paramref name="node"/> reads as an image.</summary>
    private static int Channels(NodeProto node, string value, Dictionary<string, int> images) =>
        images.TryGetValue(value, out int channels) ? channels
            : throw new InvalidDataException($"{node.OpType} node '{node.Name}' reads '{value}' as an image, but it is not computed from the input image");

    private static void CheckInterface(GraphProto graph, Dictionary<string, TensorProto> initializers)
    {
        var inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1 || inputs[0].Name != OnnxGraph.InputName)
            throw new InvalidDataException($"expected one graph input named '{OnnxGraph.InputName}', found {Names(inputs)}");
        if (graph.Output.Count != 1 || graph.Output[0].Name != OnnxGraph.OutputName)
            throw new InvalidDataException($"expected one graph output named '{OnnxGraph.OutputName}', found {Names(graph.Output)}");
        foreach (var value in new[] { inputs[0], graph.Output[0] })
        {
            var tensor = value.Type?.TensorType;
            if (tensor is null || tensor.ElemType != (int)DataType.Float)
                throw new InvalidDataException($"'{value.Name}' must be a float tensor");
            if (tensor.Shape is { } shape && !IsImageShape(shape))
                throw new InvalidDataException($"'{value.Name}' has shape [{ShapeText(shape)}]; expected [N, 1, H, W] with H and W free (tiles of any size) and N free or 1");
        }
    }

    /// <summary>[N, 1, H, W] as ONNX Runtime will be asked to run it: one tile of any size at a time.</summary>
    private static bool IsImageShape(TensorShapeProto shape) =>
        shape.Dim.Count == 4
        && (!shape.Dim[0].HasDimValue || shape.Dim[0].DimValue == 1)
        && (!shape.Dim[1].HasDimValue || shape.Dim[1].DimValue == 1)
        && !shape.Dim[2].HasDimValue && !shape.Dim[3].HasDimValue;

    private static string ShapeText(TensorShapeProto shape) =>
        string.Join(", ", shape.Dim.Take(8).Select((d, i) => d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : d.HasDimParam && d.DimParam.Length > 0 ? d.DimParam : i < 4 ? "NCHW"[i].ToString() : "?"))
        + (shape.Dim.Count > 8 ? ", ..." : "");

    private static string Names(IEnumerable<ValueInfoProto> values)
    {
        var names = values.Select(v => $"'{v.Name}'").ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names.Take(4));
    }

    private static void CheckNode(NodeProto node, HashSet<string> defined)
    {
        if (node.Domain is not ("" or "ai.onnx") || !Ops.Contains(node.OpType))
            throw new InvalidDataException($"node '{node.Name}' is a {node.Domain}{(node.Domain.Length > 0 ? "." : "")}{node.OpType}; VDSR graphs use only {string.Join(", ", Ops)}");
        if (node.Output.Count != 1) throw new InvalidDataException($"node '{node.Name}' must have one output");
        foreach (var attribute in node.Attribute)
        {
            if (attribute.Type is not (AttributeType.Int or AttributeType.Ints or AttributeType.String))
                throw new InvalidDataException($"node '{node.Name}': attribute '{attribute.Name}' is of type {attribute.Type}; VDSR graphs have only int, ints and string attributes");
            if (attribute.T is not null || attribute.G is not null || attribute.SparseTensor is not null || attribute.Tp is not null
                || attribute.Tensors.Count > 0 || attribute.Graphs.Count > 0 || attribute.SparseTensors.Count > 0 || attribute.TypeProtos.Count > 0
                || attribute.RefAttrName.Length > 0)
                throw new InvalidDataException($"node '{node.Name}': attribute '{attribute.Name}' holds a tensor, graph or type besides its {attribute.Type} value");
        }
        foreach (var input in node.Input)
            if (!defined.Contains(input))
                throw new InvalidDataException($"node '{node.Name}' reads '{input}', which is not defined before it");
    }

    /// <summary>The weight of a Conv: a float initializer, or an int8 one through DequantizeLinear.</summary>
    private static TensorProto ConvWeight(NodeProto node, Dictionary<string, TensorProto> initializers,
        Dictionary<string, TensorProto> dequantized, ref bool quantized)
    {
        if (node.Input.Count != 2) throw new InvalidDataException($"conv '{node.Name}' must have an input and a weight (VDSR convs have no bias)");
        CheckConvAttributes(node);
        TensorProto weight;
        if (initializers.TryGetValue(node.Input[1], out var direct))
        {
            if (direct.DataType != (int)DataType.Float) throw new InvalidDataException($"conv '{node.Name}' weight must be float or dequantized int8");
            weight = direct;
        }
        else if (dequantized.TryGetValue(node.Input[1], out var stored) && stored.DataType == (int)DataType.Int8)
        {
            weight = stored;
            quantized = true;
        }
        else throw new InvalidDataException($"conv '{node.Name}' weight '{node.Input[1]}' is neither an initializer nor a dequantized int8 initializer");
        if (weight.Dims.Count != 4 || weight.Dims[2] != 3 || weight.Dims[3] != 3)
            throw new InvalidDataException($"conv '{node.Name}' weight has shape [{string.Join(", ", weight.Dims)}], expected [out, in, 3, 3]");
        return weight;
    }

    private static void CheckConvAttributes(NodeProto node)
    {
        foreach (var attribute in node.Attribute)
        {
            bool ok = attribute.Name switch
            {
                "kernel_shape" or "strides" or "dilations" => attribute.Type == AttributeType.Ints
                                                              && attribute.Ints.SequenceEqual(attribute.Name == "kernel_shape" ? [3L, 3L] : [1L, 1L]),
                "pads" => attribute.Type == AttributeType.Ints && attribute.Ints.SequenceEqual([1L, 1L, 1L, 1L]),
                "group" => attribute.Type == AttributeType.Int && attribute.I == 1,
                "auto_pad" => attribute.Type == AttributeType.String && attribute.S.ToStringUtf8() == "NOTSET",
                _ => false,
            };
            if (!ok) throw new InvalidDataException($"conv '{node.Name}': attribute '{attribute.Name}' is not that of a 3x3 conv with stride 1 and one pixel of padding");
        }
        if (!node.Attribute.Any(a => a.Name == "pads"))
            throw new InvalidDataException($"conv '{node.Name}' has no padding; VDSR convs keep the image size (pads 1,1,1,1)");
    }

    private static void CheckQuantizationParameters(NodeProto node, Dictionary<string, TensorProto> initializers)
    {
        if (node.Input.Count is < 2 or > 3) throw new InvalidDataException($"{node.OpType} '{node.Name}' must have a scale and a zero point");
        if (node.Attribute.Any(a => a.Name != "axis")) throw new InvalidDataException($"{node.OpType} '{node.Name}' has attributes other than axis");
        if (node.Attribute.Any(a => a.Type != AttributeType.Int)) throw new InvalidDataException($"{node.OpType} '{node.Name}': axis must be an int");
        for (int i = 1; i < node.Input.Count; i++)
            if (!initializers.TryGetValue(node.Input[i], out var parameter) || parameter.Dims.Count > 1
                || (i == 1 ? parameter.DataType != (int)DataType.Float : parameter.DataType is not ((int)DataType.Int8 or (int)DataType.Uint8)))
                throw new InvalidDataException($"{node.OpType} '{node.Name}': scale and zero point must be scalar or 1-D initializers (a float scale, an int8 or uint8 zero point)");
    }

    /// <summary>Element type, count and storage of an initializer, without trusting any length the file claims.</summary>
    private static void CheckTensor(TensorProto tensor)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
            throw new InvalidDataException($"initializer '{tensor.Name}' refers to external data; the weights must be inside the model file");
        int elementSize = tensor.DataType switch
        {
            (int)DataType.Float => 4,
            (int)DataType.Int8 or (int)DataType.Uint8 => 1,
            _ => throw new InvalidDataException($"initializer '{tensor.Name}' has data type {tensor.DataType}; float, int8 and uint8 are supported"),
        };
        long count = 1;
        foreach (long dim in tensor.Dims)
        {
            if (dim < 0 || dim > int.MaxValue) throw new InvalidDataException($"initializer '{tensor.Name}' has dimension {dim}");
            count = dim == 0 ? 0 : count > int.MaxValue / dim ? throw new InvalidDataException($"initializer '{tensor.Name}' is too large") : count * dim;
        }
        if (tensor.RawData.Length % elementSize != 0)
            throw new InvalidDataException($"initializer '{tensor.Name}' has {tensor.RawData.Length} bytes of raw data, not a whole number of {elementSize}-byte values");
        long stored = tensor.RawData.Length > 0 ? tensor.RawData.Length / elementSize
            : tensor.DataType == (int)DataType.Float ? tensor.FloatData.Count : tensor.Int32Data.Count;
        if (stored != count)
            throw new InvalidDataException($"initializer '{tensor.Name}' holds {stored} values but its shape [{string.Join(", ", tensor.Dims)}] needs {count}");
    }
}
