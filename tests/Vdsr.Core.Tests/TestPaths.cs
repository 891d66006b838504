namespace Vdsr.Core.Tests;

/// <summary>Locates the repository (the folder holding Vdsr.sln) from the test output folder.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    public static string RepoRoot => Root.Value;

    public static string Fixture(params string[] parts) =>
        Path.Combine([RepoRoot, "tests", "fixtures", .. parts]);

    public static string InRepo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vdsr.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Vdsr.sln above {AppContext.BaseDirectory}");
    }
}
