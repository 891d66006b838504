using System.Diagnostics;

namespace Vdsr.Cli;

/// <summary>
/// Progress on stderr: a redrawn bar with rate and ETA on a terminal, or a plain line every few
/// seconds when stderr is a file or pipe (logs stay readable).
/// </summary>
public sealed class ProgressBar : IDisposable
{
    private readonly string _label;
    private long _total;
    private readonly string _unit;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _lineInterval;
    private TimeSpan? _lastDraw;
    private long _done;
    private string _suffix = "";
    private bool _finished;
    private long _drawnDone = -1;

    public ProgressBar(string label, long total, string unit = "it", TimeSpan? lineInterval = null)
    {
        _label = label;
        _total = Math.Max(total, 0);
        _unit = unit;
        _interactive = !Console.IsErrorRedirected;
        _lineInterval = lineInterval ?? TimeSpan.FromSeconds(10);
    }

    public void Report(long done, string suffix = "")
    {
        _done = done;
        _suffix = suffix;
        var now = _clock.Elapsed;
        var minGap = _interactive ? TimeSpan.FromMilliseconds(200) : _lineInterval;
        if (_lastDraw is TimeSpan last && now - last < minGap && done < _total) return;
        _lastDraw = now;
        Draw(final: false);
    }

    /// <summary>Reports progress when the total becomes known only while working (e.g. tiles).</summary>
    public void Report(long done, long total, string suffix)
    {
        _total = Math.Max(total, 0);
        Report(done, suffix);
    }

    public void Increment(string suffix = "") => Report(_done + 1, suffix);

    /// <summary>Draws the final state; without it (e.g. on an error) a log gets no closing line.</summary>
    public void Complete()
    {
        if (_finished) return;
        _finished = true;
        if (_interactive || _drawnDone != _done) Draw(final: true);
    }

    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        if (_interactive && _drawnDone >= 0) Console.Error.WriteLine(); // end the redrawn line before any error
    }

    private void Draw(bool final)
    {
        _drawnDone = _done;
        double seconds = _clock.Elapsed.TotalSeconds;
        double rate = seconds > 0 ? _done / seconds : 0;
        string eta = rate > 0 && _done < _total ? FormatTime((_total - _done) / rate) : "--:--";
        string counts = $"{_done}/{_total} {_unit}";
        string timing = final ? $"{FormatTime(seconds)}" : $"{FormatTime(seconds)}<{eta}";
        string rateText = rate >= 1 ? $"{rate:F1} {_unit}/s" : rate > 0 ? $"{1 / rate:F2} s/{_unit}" : "";
        string tail = string.Join(" ", new[] { counts, $"[{timing}, {rateText}]", _suffix }.Where(s => s.Length > 0));
        if (_interactive)
        {
            const int width = 24;
            int filled = _total > 0 ? (int)Math.Round(width * Math.Min(1.0, (double)_done / _total)) : 0;
            string bar = new string('#', filled) + new string('.', width - filled);
            Console.Error.Write($"\r{_label} |{bar}| {tail}\u001b[K");
            if (final) Console.Error.WriteLine();
        }
        else
        {
            int percent = _total > 0 ? (int)(100 * Math.Min(1.0, (double)_done / _total)) : 100;
            Console.Error.WriteLine($"{_label} {percent,3}% {tail}");
        }
    }

    private static string FormatTime(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{t:mm\\:ss}";
    }
}
