using Onnx;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.IO;

namespace Vdsr.Core.Onnx;

/// <summary>Reads and writes VDSR models as ONNX files; tells an ONNX file from a checkpoint by its content.</summary>
public static class OnnxModelFile
{
    public const long MaxBytes = OnnxSignature.MaxBytes;

    /// <summary>Reads and checks a VDSR ONNX model; every problem is one line naming the file.</summary>
    public static OnnxVdsrModel Read(string path) => Guarded(path, () => OnnxVdsrModel.FromBytes(ReadBytes(path), path));

    /// <summary>
    /// The checked model when the file's content is ONNX, null when it is something else (a
    /// checkpoint, by its signature, is told apart without parsing it): one read decides and loads.
    /// </summary>
    public static OnnxVdsrModel? ReadIfOnnx(string path) => Guarded(path, () =>
    {
        byte[] head = new byte[CheckpointFile.SignatureLength];
        long length;
        int got;
        WholeFile.RequireRegular(path, "model file");
        try
        {
            using var file = File.OpenRead(path);
            length = file.Length;
            got = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null; // the checkpoint reader names the problem
        }
        if (length > MaxBytes || CheckpointFile.HasSignature(head.AsSpan(0, got), length)) return null;
        return OnnxSignature.TryParse(ReadBytes(path)) is { } proto ? OnnxVdsrModel.Checked(proto, path) : null;
    });

    private static byte[] ReadBytes(string path)
    {
        byte[] bytes;
        try
        {
            long length = new FileInfo(path).Length;
            if (length > MaxBytes) throw new VdsrUserException($"{path}: {length} bytes, more than the {MaxBytes >> 20} MiB an ONNX model may have here");
            bytes = WholeFile.Read(path, "ONNX model", MaxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new VdsrUserException($"{path}: cannot read the ONNX model ({ErrorText.OneLine(e.Message)})", e);
        }
        return bytes.Length > 0 ? bytes : throw new VdsrUserException($"{path}: file is empty");
    }

    private static T Guarded<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new VdsrUserException($"{path}: {ErrorText.OneLine(e.Message)}", e);
        }
    }

    /// <summary>Checks <paramref name="model"/> as a reader would, then writes it atomically.</summary>
    public static OnnxVdsrModel Write(string path, ModelProto model)
    {
        OnnxVdsrModel written;
        try
        {
            written = OnnxVdsrModel.Checked(model, path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"the exported graph fails its own check: {e.Message}", e);
        }
        AtomicFile.Write(path, stream => stream.Write(written.Bytes));
        return written;
    }
}
