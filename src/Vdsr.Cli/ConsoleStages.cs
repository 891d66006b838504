namespace Vdsr.Cli;

/// <summary>A progress bar for each long stage a library pipeline reports (started, progress, ended).</summary>
public sealed class ConsoleStages : IDisposable
{
    private ProgressBar? _bar;

    public void Start(string title, long total, string unit)
    {
        _bar?.Dispose();
        _bar = new ProgressBar(title, total, unit);
    }

    public void Report(long done, long total) => _bar?.Report(done, total, "");

    public void End()
    {
        _bar?.Complete();
        _bar?.Dispose();
        _bar = null;
    }

    public void Dispose() => _bar?.Dispose();
}
