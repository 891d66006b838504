using Vdsr.Core;

namespace Vdsr.Cli;

/// <summary>
/// Finds the files the toolkit bundles (models/, Set5/, data/) for default option values, so the
/// tools work from any folder: relative to the working directory first, then beside the tool (an
/// installed copy carries them) and in the folders above it (a build inside the repository).
/// </summary>
public static class BundledPaths
{
    public const string PretrainedModel = "models/model_epoch_50.pth";

    /// <summary>The bundled model L1-pruned at sparsity 0.5 and recovered (vdsr-prune; see the README).</summary>
    public const string PrunedModel = "models/vdsr_pruned_0.5.safetensors";

    /// <summary>Its ONNX exports (vdsr-convert --format onnx / onnx-int8).</summary>
    public const string PrunedOnnxModel = "models/vdsr_pruned_0.5.onnx";
    public const string PrunedInt8Model = "models/vdsr_pruned_0.5_int8.onnx";

    /// <summary>
    /// The existing file or folder <paramref name="path"/> names; <paramref name="what"/> (e.g. "model
    /// file") names it in the error that lists where it was looked for.
    /// </summary>
    public static string Resolve(string path, string what)
    {
        if (File.Exists(path) || Directory.Exists(path)) return path;
        if (Path.IsPathRooted(path)) throw new VdsrUserException($"{path}: {what} not found");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, path);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        throw new VdsrUserException(
            $"{path}: {what} not found (looked in the working folder {Directory.GetCurrentDirectory()}, " +
            $"beside the tool in {Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)} and in the folders above it)");
    }
}
