using Vdsr.Core;

namespace Vdsr.Cli;

/// <summary>
/// The inputs of a folder run that could not be read: each is reported on stderr as it is met
/// (`tool: skipped: message`) and the run goes on; at the end the tool exits non-zero if any was.
/// A run of one input has nothing to go on with: that input's error is the run's.
/// </summary>
public sealed class SkippedInputs(string toolName, int inputCount)
{
    private readonly List<string> _paths = new();

    public int Count => _paths.Count;

    public void Report(string path, VdsrUserException problem)
    {
        if (inputCount == 1) throw problem;
        _paths.Add(path);
        Console.Error.WriteLine($"{toolName}: skipped: {problem.Message.ReplaceLineEndings(" ").Trim()}");
    }

    /// <summary>Runs <paramref name="work"/> on one input; false, reported, when the input cannot be read.</summary>
    public bool TryRun(string path, Action work)
    {
        try
        {
            work();
            return true;
        }
        catch (VdsrUserException e)
        {
            Report(path, e);
            return false;
        }
    }

    /// <summary>Fails the run, after it has done what it could, when any input was skipped.</summary>
    public void ThrowIfAny(string what)
    {
        if (_paths.Count > 0)
            throw new VdsrUserException($"{_paths.Count} of {inputCount} {what} could not be read and were skipped (listed above); the others were processed");
    }
}
