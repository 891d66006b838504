using Vdsr.Core.IO;
using Razorvine.Pickle;
using Vdsr.Core.Checkpoints.Torch;

namespace Vdsr.Core.Checkpoints;

/// <summary>
/// Reads every checkpoint layout the toolkit knows (told apart by content, not by file name)
/// and writes the project format or plain safetensors.
/// </summary>
public static class CheckpointFile
{
    /// <summary>Reads the checkpoint at <paramref name="path"/>; the state carries the epoch when the file has one.</summary>
    public static StateDict Load(string path)
    {
        byte[] bytes = ReadBytes(path);
        return Guarded(path, () =>
        {
            var format = Detect(bytes);
            switch (format)
            {
                case CheckpointFormat.TorchLegacy:
                    return InLayerOrder(DataParallelNames.Strip(LegacyTorchReader.Read(bytes)));
                case CheckpointFormat.TorchZip:
                    using (var stream = new MemoryStream(bytes, writable: false))
                        return InLayerOrder(DataParallelNames.Strip(TorchZipReader.Read(stream)));
                default:
                    var contents = Safetensors.Read(bytes);
                    var state = new StateDict();
                    foreach (var (name, tensor) in contents.Tensors) state.Add(name, tensor);
                    if (VdsrCheckpointMetadata.IsProjectFile(contents.Metadata))
                        VdsrCheckpointMetadata.ApplyOnLoad(state, contents.Metadata);
                    else
                        VdsrCheckpointMetadata.ApplyPlain(state, contents.Metadata);
                    return DataParallelNames.Strip(state);
            }
        });
    }

    /// <summary>Which layout the file at <paramref name="path"/> has, judged by its content.</summary>
    public static CheckpointFormat DetectFormat(string path)
    {
        byte[] bytes = ReadBytes(path);
        return Guarded(path, () =>
        {
            var format = Detect(bytes);
            return format == CheckpointFormat.Safetensors && VdsrCheckpointMetadata.IsProjectFile(Safetensors.Read(bytes).Metadata)
                ? CheckpointFormat.Vdsr
                : format;
        });
    }

    /// <summary>Writes <paramref name="state"/> in the project format (weights, optimizer tensors, metadata).</summary>
    public static void Save(string path, StateDict state) => Export(path, state, CheckpointFormat.Vdsr);

    /// <summary>
    /// Writes <paramref name="state"/> as <paramref name="format"/>: <see cref="CheckpointFormat.Vdsr"/>
    /// keeps everything; <see cref="CheckpointFormat.Safetensors"/> keeps the weights, the epoch and
    /// the string metadata but no optimizer state.
    /// </summary>
    public static void Export(string path, StateDict state, CheckpointFormat format)
    {
        switch (format)
        {
            case CheckpointFormat.Vdsr:
            {
                var metadata = Guarded(path, () => VdsrCheckpointMetadata.ForSave(state));
                AtomicFile.Write(path, s => Safetensors.Write(s, state.Entries, metadata));
                break;
            }
            case CheckpointFormat.Safetensors:
            {
                var metadata = new Dictionary<string, string>(state.Metadata, StringComparer.Ordinal);
                if (state.Epoch is int epoch) metadata[VdsrCheckpointMetadata.EpochKey] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
                AtomicFile.Write(path, s => Safetensors.Write(s, OptimizerTensors.Weights(state), metadata));
                break;
            }
            default:
                throw new VdsrUserException($"{path}: writing {format} checkpoints is not supported (write {CheckpointFormat.Vdsr} or {CheckpointFormat.Safetensors})");
        }
    }

    /// <summary>Reads any known checkpoint and writes it as <paramref name="format"/>; returns what was read.</summary>
    public static StateDict Convert(string inputPath, string outputPath, CheckpointFormat format)
    {
        var state = Load(inputPath);
        Export(outputPath, state, format);
        return state;
    }

    /// <summary>
    /// Puts the weights of a VDSR network in layer order (input, residual layers, output). The
    /// unpickler fills a dict from a SETITEMS batch last item first, so the order of a torch
    /// file's OrderedDict is not recoverable; layer order gives every format the same listing.
    /// </summary>
    private static StateDict InLayerOrder(StateDict state)
    {
        var layerNames = VdsrParameterNames.InLayerOrder(VdsrParameterNames.DepthOf(state.Names));
        if (layerNames.Count != state.Count || !layerNames.All(state.Names.Contains)) return state;
        var ordered = new StateDict { Epoch = state.Epoch };
        foreach (var name in layerNames) ordered.Add(name, state[name]);
        foreach (var (key, value) in state.Metadata) ordered.Metadata[key] = value;
        return ordered;
    }

    /// <summary>Bytes a checkpoint reader needs to recognise a layout by <see cref="HasSignature"/>.</summary>
    public const int SignatureLength = 16;

    /// <summary>Whether a file of <paramref name="fileLength"/> bytes starting with <paramref name="head"/> is laid out as a checkpoint this reader knows.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> head, long fileLength) => Recognize(head, fileLength) is not null;

    private static CheckpointFormat? Recognize(ReadOnlySpan<byte> head, long fileLength) =>
        head.StartsWith(LegacyTorchReader.Signature) ? CheckpointFormat.TorchLegacy
        : head.StartsWith("PK\x03\x04"u8) ? CheckpointFormat.TorchZip
        : Safetensors.LooksLike(head, fileLength) ? CheckpointFormat.Safetensors
        : null;

    private static CheckpointFormat Detect(byte[] bytes)
    {
        if (bytes.Length == 0) throw new InvalidDataException("file is empty");
        if (Recognize(bytes, bytes.Length) is CheckpointFormat format) return format;
        if (bytes.Length < LegacyTorchReader.Signature.Length && LegacyTorchReader.Signature.StartsWith(bytes))
            throw new InvalidDataException("truncated (the file ends inside the legacy PyTorch header)");
        if (bytes.Length >= 9 && bytes[8] == (byte)'{')
            throw new InvalidDataException("truncated safetensors file (the header is longer than the file)");
        if (OnnxSignature.LooksLike(bytes))
            throw new InvalidDataException("an ONNX model, not a checkpoint (ONNX Runtime runs it)");
        throw new InvalidDataException("not a checkpoint: neither a PyTorch .pth (legacy or zip) nor safetensors");
    }

    private static byte[] ReadBytes(string path)
    {
        try
        {
            return WholeFile.Read(path, "checkpoint");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new VdsrUserException($"{path}: cannot read checkpoint ({e.Message})", e);
        }
    }

    /// <summary>
    /// Runs a read step, turning whatever a malformed file provokes into one line naming the file.
    /// The readers' own messages may quote the file (tensor names, pickle strings), hence
    /// <see cref="ErrorText.OneLine"/>.
    /// </summary>
    private static T Guarded<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CheckpointFormatException e)
        {
            throw new CheckpointFormatException($"{path}: {ErrorText.OneLine(e.Message)}", e);
        }
        catch (VdsrUserException e) when (!e.Message.StartsWith(path + ": ", StringComparison.Ordinal))
        {
            throw new VdsrUserException($"{path}: {ErrorText.OneLine(e.Message)}", e);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointFormatException($"{path}: {ErrorText.OneLine(e.Message)}", e);
        }
        catch (Exception e) when (e is PickleException or InvalidCastException or InvalidOperationException
                                      or ArgumentException or IndexOutOfRangeException or NullReferenceException
                                      or OverflowException or KeyNotFoundException or EndOfStreamException)
        {
            throw new CheckpointFormatException($"{path}: malformed checkpoint ({e.GetType().Name}: {ErrorText.OneLine(FirstLine(e.Message))})", e);
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
