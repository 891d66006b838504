using Google.Protobuf;
using Onnx;

namespace Vdsr.Core.Onnx;

/// <summary>Small builders for the ONNX protobuf messages the VDSR graphs are made of.</summary>
internal static class OnnxGraph
{
    public const string InputName = "input";
    public const string OutputName = "output";

    /// <summary>A float tensor [N, 1, H, W] with N, H and W named (dynamic).</summary>
    public static ValueInfoProto ImageValue(string name) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto
                {
                    Dim =
                    {
                        new TensorShapeProto.Types.Dimension { DimParam = "N" },
                        new TensorShapeProto.Types.Dimension { DimValue = 1 },
                        new TensorShapeProto.Types.Dimension { DimParam = "H" },
                        new TensorShapeProto.Types.Dimension { DimParam = "W" },
                    },
                },
            },
        },
    };

    public static TensorProto FloatTensor(string name, long[] dims, ReadOnlySpan<float> values) =>
        RawTensor(name, dims, TensorProto.Types.DataType.Float, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    public static TensorProto Int8Tensor(string name, long[] dims, ReadOnlySpan<sbyte> values) =>
        RawTensor(name, dims, TensorProto.Types.DataType.Int8, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    public static TensorProto UInt8Scalar(string name, byte value) =>
        RawTensor(name, [], TensorProto.Types.DataType.Uint8, [value]);

    public static TensorProto FloatScalar(string name, float value) => FloatTensor(name, [], [value]);

    /// <summary>Little-endian raw data, as the ONNX spec stores it (this toolkit runs on little-endian machines only).</summary>
    private static TensorProto RawTensor(string name, long[] dims, TensorProto.Types.DataType type, ReadOnlySpan<byte> raw)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>A 3x3 convolution with stride 1 and one pixel of zero padding on every side (output size = input size), no bias.</summary>
    public static NodeProto Conv3x3(string name, string input, string weight, string output)
    {
        var node = Node("Conv", name, [input, weight], output);
        node.Attribute.Add(Ints("kernel_shape", 3, 3));
        node.Attribute.Add(Ints("pads", 1, 1, 1, 1));
        node.Attribute.Add(Ints("strides", 1, 1));
        node.Attribute.Add(Ints("dilations", 1, 1));
        node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        return node;
    }

    public static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
