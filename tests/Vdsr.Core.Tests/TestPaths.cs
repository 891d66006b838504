namespace Vdsr.Core.Tests;

/// <summary>Finds files of the repository from the test binaries' folder.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vdsr.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Vdsr.sln above {AppContext.BaseDirectory}");
    });

    public static string RepoRoot => Root.Value;

    public static string RepoFile(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    public static string Fixture(params string[] parts) => Path.Combine([RepoRoot, "tests", "fixtures", .. parts]);
}
