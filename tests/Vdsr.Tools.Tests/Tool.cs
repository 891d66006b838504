using System.Diagnostics;

namespace Vdsr.Tools.Tests;

/// <summary>Runs one of the built command-line tools as a separate process, as a user would.</summary>
internal static partial class Tool
{
    public sealed partial record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>stderr without the progress lines a redirected progress bar writes (`Epoch 1  16% 1/6 step [...]`).</summary>
        public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !ProgressLine().IsMatch(line)).ToArray();

        [System.Text.RegularExpressions.GeneratedRegex(@"^[\w ]+ +\d{1,3}% \d+/\d+ \w+ \[[^\]]*\]")]
        private static partial System.Text.RegularExpressions.Regex ProgressLine();
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>A path relative to the repository root, e.g. InRepo("Set5/butterfly_GT.bmp").</summary>
    public static string InRepo(string relative) => Path.Combine(RepoRoot, relative);

    /// <summary>Runs vdsr-&lt;name&gt; with <paramref name="args"/> in <paramref name="workingDirectory"/> (default: the repo root).</summary>
    public static Result Run(string name, string[] args, string? workingDirectory = null, int timeoutSeconds = 300,
        Dictionary<string, string>? environment = null)
    {
        string dll = DllPath(name);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("VDSR_DEBUG");
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"vdsr-{name} {string.Join(' ', args)} ran over {timeoutSeconds} s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The built vdsr-&lt;name&gt;.dll (run with `dotnet`): every project builds into one folder, so beside this test.</summary>
    public static string DllPath(string name)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, $"vdsr-{name}.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"tool not built: {dll}");
        return dll;
    }

    /// <summary>Asserts a failure reported as exactly one error line that contains every fragment.</summary>
    public static void AssertOneLineError(Result result, params string[] fragments)
    {
        Assert.NotEqual(0, result.ExitCode);
        var lines = result.ErrorLines;
        Assert.True(lines.Length == 1, $"expected one error line, got:\n{result.Stderr}");
        Assert.Contains(": error: ", lines[0]);
        foreach (var f in fragments) Assert.Contains(f, lines[0]);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vdsr.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Vdsr.sln above {AppContext.BaseDirectory}");
    }
}
