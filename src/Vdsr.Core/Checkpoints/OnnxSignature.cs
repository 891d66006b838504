using Google.Protobuf;
using Onnx;

namespace Vdsr.Core.Checkpoints;

/// <summary>Tells an ONNX model from a checkpoint by content, so that either reader can name what it was given.</summary>
public static class OnnxSignature
{
    /// <summary>Far above any VDSR model (the original is 2.7 MB) and below protobuf's 2 GB limit.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>True when <paramref name="bytes"/> parse as an ONNX model with a graph and an operator set.</summary>
    public static bool LooksLike(byte[] bytes)
    {
        if (bytes.Length == 0 || bytes.Length > MaxBytes) return false;
        try
        {
            var model = ModelProto.Parser.ParseFrom(bytes);
            return model.Graph is not null && model.OpsetImport.Count > 0 && model.IrVersion > 0;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }
}
