using Google.Protobuf;
using Onnx;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.IO;

namespace Vdsr.Core.Onnx;

/// <summary>Reads and writes VDSR models as ONNX files; tells an ONNX file from a checkpoint by its content.</summary>
public static class OnnxModelFile
{
    public const long MaxBytes = OnnxSignature.MaxBytes;

    public static bool LooksLike(byte[] bytes) => OnnxSignature.LooksLike(bytes);

    /// <summary>True when the file at <paramref name="path"/> is an ONNX model (judged by content; unreadable files are not).</summary>
    public static bool IsOnnx(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.Length <= MaxBytes && LooksLike(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Reads and checks a VDSR ONNX model; every problem is one line naming the file.</summary>
    public static OnnxVdsrModel Read(string path)
    {
        byte[] bytes;
        try
        {
            long length = new FileInfo(path).Length;
            if (length > MaxBytes) throw new VdsrUserException($"{path}: {length} bytes, more than the {MaxBytes >> 20} MiB an ONNX model may have here");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new VdsrUserException($"{path}: cannot read the ONNX model ({ErrorText.OneLine(e.Message)})", e);
        }
        if (bytes.Length == 0) throw new VdsrUserException($"{path}: file is empty");
        try
        {
            return OnnxVdsrModel.FromBytes(bytes, path);
        }
        catch (InvalidDataException e)
        {
            throw new VdsrUserException($"{path}: {ErrorText.OneLine(e.Message)}", e);
        }
    }

    /// <summary>Checks <paramref name="model"/> as a reader would, then writes it atomically.</summary>
    public static OnnxVdsrModel Write(string path, ModelProto model)
    {
        var bytes = model.ToByteArray();
        OnnxVdsrModel written;
        try
        {
            written = OnnxVdsrModel.FromBytes(bytes, path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"the exported graph fails its own check: {e.Message}", e);
        }
        AtomicFile.Write(path, stream => stream.Write(bytes));
        return written;
    }
}
