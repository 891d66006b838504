using Google.Protobuf;
using Onnx;

namespace Vdsr.Core.Checkpoints;

/// <summary>Tells an ONNX model from a checkpoint by content, so that either reader can name what it was given.</summary>
public static class OnnxSignature
{
    /// <summary>Far above any VDSR model (the original is 2.7 MB) and below protobuf's 2 GB limit.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>Parses ONNX models keeping only the fields the schema knows (what is checked is what runs).</summary>
    public static MessageParser<ModelProto> Parser { get; } = ModelProto.Parser.WithDiscardUnknownFields(true);

    /// <summary>True when <paramref name="bytes"/> parse as an ONNX model with a graph and an operator set.</summary>
    public static bool LooksLike(byte[] bytes) => TryParse(bytes) is not null;

    /// <summary>The model <paramref name="bytes"/> hold when they parse as one with a graph and an operator set; else null.</summary>
    public static ModelProto? TryParse(byte[] bytes)
    {
        if (bytes.Length == 0 || bytes.Length > MaxBytes) return null;
        try
        {
            var model = Parser.ParseFrom(bytes);
            return model.Graph is not null && model.OpsetImport.Count > 0 && model.IrVersion > 0 ? model : null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
