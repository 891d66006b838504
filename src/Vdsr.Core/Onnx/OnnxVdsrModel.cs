using Google.Protobuf;
using Onnx;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Onnx;

/// <summary>A checked VDSR ONNX model: its serialized bytes (what ONNX Runtime loads), the architecture and precision its graph has, and its metadata.</summary>
public sealed class OnnxVdsrModel
{
    public string Source { get; }
    public byte[] Bytes { get; }
    public VdsrArchitecture Architecture { get; }

    /// <summary>fp32, or int8 when the hidden convs read quantized weights.</summary>
    public string Precision { get; }

    public int Opset { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private OnnxVdsrModel(string source, byte[] bytes, OnnxGraphCheck.Result checkedGraph, IReadOnlyDictionary<string, string> metadata)
    {
        Source = source;
        Bytes = bytes;
        Architecture = checkedGraph.Architecture;
        Precision = checkedGraph.Precision;
        Opset = checkedGraph.Opset;
        Metadata = metadata;
    }

    /// <summary>Checks a model built in memory (an export on the fly); <paramref name="source"/> names it in errors.</summary>
    public static OnnxVdsrModel FromProto(ModelProto model, string source) => Checked(model, source);

    /// <summary>Parses and checks serialized bytes; throws <see cref="InvalidDataException"/> for anything that is not a VDSR graph this toolkit can run.</summary>
    internal static OnnxVdsrModel FromBytes(byte[] bytes, string source)
    {
        ModelProto proto;
        try
        {
            proto = OnnxSignature.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            if (CheckpointFile.HasSignature(bytes, bytes.Length)) throw new InvalidDataException("a checkpoint (PyTorch .pth or safetensors), not an ONNX model", e);
            throw new InvalidDataException($"not a valid ONNX model ({ErrorText.OneLine(e.Message)})", e);
        }
        return Checked(proto, source);
    }

    /// <summary>
    /// The model as ONNX Runtime will get it: checked, and serialized from the checked message, so
    /// fields the schema does not know (which <see cref="OnnxSignature.Parser"/> drops) are not passed on.
    /// </summary>
    internal static OnnxVdsrModel Checked(ModelProto proto, string source)
    {
        var result = OnnxGraphCheck.Check(proto);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in proto.MetadataProps) metadata[entry.Key] = entry.Value;
        return new OnnxVdsrModel(source, proto.ToByteArray(), result, metadata);
    }
}
