using System.Runtime.InteropServices;

namespace Vdsr.Cli;

/// <summary>
/// Turns the first SIGINT/SIGTERM into a cancellation request, so long jobs can finish their
/// current step and save; a second signal terminates as usual.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _source.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested) return; // second signal: default handling
        context.Cancel = true;
        Console.Error.WriteLine();
        Console.Error.WriteLine("Stopping after the current step (press Ctrl+C again to abort)...");
        _source.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _source.Dispose();
    }
}
