using System.Globalization;
using Vdsr.Core.Training;

namespace Vdsr.Cli.Training;

/// <summary>
/// A training run on the console: a progress bar per epoch, main_vdsr.py's log lines, and status
/// lines written above the bar.
/// </summary>
public sealed class ConsoleTrainingProgress : IDisposable
{
    private readonly int _keepCheckpoints;
    private ProgressBar? _bar;
    private long _barStart;

    /// <param name="keepCheckpoints">The --keep-checkpoints value, named when an old checkpoint is removed.</param>
    public ConsoleTrainingProgress(int keepCheckpoints) => _keepCheckpoints = keepCheckpoints;

    public TrainingSessionEvents Events => new()
    {
        EpochStarting = (position, total) =>
        {
            _barStart = position.BatchesDone;
            _bar = new ProgressBar($"Epoch {position.Epoch}", total - _barStart, "step");
        },
        StepDone = p =>
        {
            _bar?.Report(p.Iteration - _barStart, string.Create(CultureInfo.InvariantCulture, $"loss {p.Loss:G5} {p.PatchesPerSecond:F1} patches/s"));
            if (p.IsOriginalLogIteration) WriteLine(p.OriginalLogLine);
        },
        EpochTrained = _ =>
        {
            _bar?.Complete();
            _bar?.Dispose();
            _bar = null;
        },
        Message = WriteLine,
        CheckpointRemoved = old => WriteLine($"Removed {old} (--keep-checkpoints {_keepCheckpoints})"),
    };

    public void WriteLine(string line)
    {
        if (_bar is not null && !Console.IsErrorRedirected) Console.Error.Write("\r\u001b[K"); // clear the redrawn bar first
        Console.WriteLine(line);
    }

    public void Dispose()
    {
        _bar?.Dispose();
        _bar = null;
    }
}
