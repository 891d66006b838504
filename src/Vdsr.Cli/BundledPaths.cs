namespace Vdsr.Cli;

/// <summary>
/// Finds the files the repository bundles (models/, Set5/, data/) for default option values:
/// relative to the working directory first, then to the folder that holds the tool's build.
/// </summary>
public static class BundledPaths
{
    public const string PretrainedModel = "models/model_epoch_50.pth";

    public static string Resolve(string relativePath)
    {
        if (Path.IsPathRooted(relativePath) || File.Exists(relativePath) || Directory.Exists(relativePath))
            return relativePath;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        return relativePath; // the caller reports it as missing, by the name the user gave
    }
}
