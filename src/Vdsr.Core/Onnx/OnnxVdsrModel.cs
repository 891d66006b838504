using Google.Protobuf;
using Onnx;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Checkpoints.Torch;
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
    public static OnnxVdsrModel FromProto(ModelProto model, string source) => FromBytes(model.ToByteArray(), source);

    /// <summary>Parses and checks serialized bytes; throws <see cref="InvalidDataException"/> for anything that is not a VDSR graph this toolkit can run.</summary>
    internal static OnnxVdsrModel FromBytes(byte[] bytes, string source)
    {
        ModelProto proto;
        try
        {
            proto = CheckedFieldsOnly.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            if (LooksLikeCheckpoint(bytes)) throw new InvalidDataException("a checkpoint (PyTorch .pth or safetensors), not an ONNX model", e);
            throw new InvalidDataException($"not a valid ONNX model ({ErrorText.OneLine(e.Message)})", e);
        }
        var result = OnnxGraphCheck.Check(proto);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in proto.MetadataProps) metadata[entry.Key] = entry.Value;
        // ONNX Runtime gets the model as checked: fields this schema does not know are not passed on.
        return new OnnxVdsrModel(source, proto.ToByteArray(), result, metadata);
    }

    private static readonly MessageParser<ModelProto> CheckedFieldsOnly = ModelProto.Parser.WithDiscardUnknownFields(true);

    /// <summary>The signatures the checkpoint reader tells its formats by: a legacy or zip .pth, or safetensors.</summary>
    private static bool LooksLikeCheckpoint(byte[] bytes) =>
        bytes.AsSpan().StartsWith(LegacyTorchReader.Signature)
        || bytes.AsSpan().StartsWith("PK\x03\x04"u8)
        || Safetensors.LooksLike(bytes, bytes.Length);
}
