namespace Vdsr.Core.Tests;

/// <summary>Locates the repository (the folder holding Vdsr.sln) and its test fixtures at run time.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepoRoot => Root.Value;

    /// <summary>A file under tests/fixtures, e.g. Fixture("golden", "x.npy").</summary>
    public static string Fixture(params string[] parts) =>
        Path.Combine([RepoRoot, "tests", "fixtures", .. parts]);

    /// <summary>A file relative to the repository root, e.g. InRepo("models", "model_epoch_50.pth").</summary>
    public static string InRepo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vdsr.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Vdsr.sln above {AppContext.BaseDirectory}");
    }
}
