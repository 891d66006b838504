using System.Diagnostics;
using System.Text;

namespace Vdsr.Tools.Tests;

/// <summary>A tool started in the background, to be killed with SIGKILL at a chosen moment or awaited.</summary>
internal sealed class RunningTool : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();

    public RunningTool(string name, string[] args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? Tool.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Tool.DllPath(name));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("VDSR_DEBUG");
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>The standard output so far.</summary>
    public string Output
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    /// <summary>Waits until the standard output holds <paramref name="text"/>; false if the tool exits or the time runs out first.</summary>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_stdout) if (_stdout.ToString().Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) return false;
            Thread.Sleep(10);
        }
        return false;
    }

    /// <summary>SIGKILL: no handler runs, no file is closed by the tool.</summary>
    public void Kill()
    {
        try { _process.Kill(); } catch (InvalidOperationException) { } // already gone
        _process.WaitForExit();
    }

    public Tool.Result Wait(int timeoutSeconds = 300)
    {
        if (!_process.WaitForExit(timeoutSeconds * 1000))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.ArgumentList[0]} ran over {timeoutSeconds} s");
        }
        _process.WaitForExit(); // drains the asynchronous output
        lock (_stdout) lock (_stderr) return new Tool.Result(_process.ExitCode, _stdout.ToString(), _stderr.ToString());
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
