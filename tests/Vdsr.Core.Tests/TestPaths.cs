namespace Vdsr.Core.Tests;

/// <summary>Locates repository files from the test binaries (walks up to the folder holding Vdsr.sln).</summary>
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

    /// <summary>tests/fixtures/&lt;area&gt;/&lt;parts...&gt;</summary>
    public static string Fixture(string area, params string[] parts) =>
        Path.Combine([RepoRoot, "tests", "fixtures", area, .. parts]);
}
