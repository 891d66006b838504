using System.Text.RegularExpressions;

namespace Vdsr.Core.Tests;

/// <summary>The README's folder graph of the library is the code's: every folder listed, no use that the graph lacks, no cycle.</summary>
public partial class LayoutTests
{
    private static readonly string CoreFolder = TestPaths.InRepo("src", "Vdsr.Core");

    [Fact]
    public void EveryLibraryFolderUsesOnlyWhatTheReadmeGraphSays()
    {
        var declared = DeclaredGraph();
        var folders = Directory.GetDirectories(CoreFolder).Select(Path.GetFileName).Where(f => f is not ("obj" or "bin")).Order().ToList();
        Assert.Equal(folders, declared.Keys.Order());
        foreach (var folder in folders)
        {
            var used = UsedFolders(folder!);
            var undeclared = used.Except(declared[folder!]).ToList();
            Assert.True(undeclared.Count == 0, $"{folder}/ uses {string.Join(", ", undeclared)}, which the README's Layout graph does not list");
        }
    }

    [Fact]
    public void TheGraphHasNoCycle()
    {
        var graph = DeclaredGraph();
        var done = new HashSet<string>();
        void Visit(string node, ImmutableStack path)
        {
            Assert.False(path.Contains(node), $"cycle: {string.Join(" -> ", path.Items.Reverse().Append(node))}");
            if (!done.Add(node)) return;
            foreach (var next in graph.GetValueOrDefault(node) ?? []) Visit(next, path.Push(node));
        }
        foreach (var node in graph.Keys) Visit(node, ImmutableStack.Empty);
    }

    private sealed record ImmutableStack(IReadOnlyList<string> Items)
    {
        public static ImmutableStack Empty { get; } = new([]);
        public bool Contains(string node) => Items.Contains(node);
        public ImmutableStack Push(string node) => new([.. Items, node]);
    }

    /// <summary>"Name/ -> A, B (what it holds)" lines of the README's Layout block.</summary>
    private static Dictionary<string, HashSet<string>> DeclaredGraph()
    {
        var readme = File.ReadAllText(TestPaths.InRepo("README.md"));
        int start = readme.IndexOf("src/Vdsr.Core/", StringComparison.Ordinal);
        int end = readme.IndexOf("src/Vdsr.Cli/", start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the README has no Layout block for src/Vdsr.Core/");
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (Match m in FolderLine().Matches(readme[start..end]))
            graph[m.Groups[1].Value] = m.Groups[2].Success
                ? m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet()
                : [];
        return graph;
    }

    private static HashSet<string> UsedFolders(string folder)
    {
        var used = new HashSet<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(CoreFolder, folder), "*.cs", SearchOption.AllDirectories))
            foreach (Match m in CoreReference().Matches(File.ReadAllText(file)))
                if (m.Groups[1].Value != folder) used.Add(m.Groups[1].Value);
        return used;
    }

    [GeneratedRegex(@"^\s+(\w+)/(?: -> ([\w, ]+?))?(?: \(|\s*$)", RegexOptions.Multiline)]
    private static partial Regex FolderLine();

    [GeneratedRegex(@"\bVdsr\.Core\.([A-Z]\w*)")]
    private static partial Regex CoreReference();
}
