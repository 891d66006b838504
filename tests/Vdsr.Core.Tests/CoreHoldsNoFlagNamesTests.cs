using System.Text.RegularExpressions;

namespace Vdsr.Core.Tests;

/// <summary>Flag names ("--something") belong to the command-line layer: Vdsr.Core's messages name options in words.</summary>
public partial class CoreHoldsNoFlagNamesTests
{
    [Fact]
    public void NoStringLiteralInVdsrCoreHoldsAFlagName()
    {
        var offenders = Directory.EnumerateFiles(TestPaths.InRepo("src", "Vdsr.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => File.ReadLines(path).Select((line, i) => (path, line, number: i + 1)))
            .Where(l => FlagInString().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(TestPaths.RepoRoot, l.path)}:{l.number}: {l.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "flag names in Vdsr.Core:\n" + string.Join("\n", offenders));
    }

    /// <summary>The acceptance grep: a double quote, then anything but a quote, then "--" and a letter.</summary>
    [GeneratedRegex("\"[^\"]*--[a-z]")]
    private static partial Regex FlagInString();
}
