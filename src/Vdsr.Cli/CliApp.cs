using System.CommandLine;
using Vdsr.Core;

namespace Vdsr.Cli;

/// <summary>
/// Runs a tool's root command with the behaviour every tool shares: a user error is one line on
/// stderr and exit code 1, an unexpected failure one line and exit code 70, an interruption that the
/// tool does not handle itself exit code 130, never a stack trace
/// (set VDSR_DEBUG=1 to see one).
/// </summary>
public static class CliApp
{
    public const int ExitUserError = 1;
    public const int ExitInternalError = 70;
    public const int ExitInterrupted = 130;

    /// <summary>A root command's description followed by example command lines, for `--help`.</summary>
    public static string Describe(string summary, params string[] examples) =>
        $"{summary}{Environment.NewLine}{Environment.NewLine}Example{(examples.Length > 1 ? "s" : "")}:{Environment.NewLine}"
        + string.Join(Environment.NewLine, examples.Select(e => "  " + e));

    public static int Run(RootCommand root, string[] args, Func<ParseResult, CancellationToken, int> action)
    {
        var toolName = root.Name;
        ToolVersion.Install(root);
        root.SetAction((parseResult, token) => Task.FromResult(Guarded(toolName, () => action(parseResult, token))));
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        using var cancellation = new ShutdownSignal();
        return root.Parse(args).InvokeAsync(config, cancellation.Token).GetAwaiter().GetResult();
    }

    public static int Guarded(string toolName, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{toolName}: interrupted");
            return ExitInterrupted;
        }
        catch (VdsrUserException e)
        {
            Console.Error.WriteLine($"{toolName}: error: {OneLine(e.Message)}");
            return ExitUserError;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("VDSR_DEBUG") != "1")
        {
            Console.Error.WriteLine($"{toolName}: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            return ExitInternalError;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
