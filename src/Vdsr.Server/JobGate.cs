namespace Vdsr.Server;

/// <summary>
/// One job at a time (the network uses every compute thread it was given), up to
/// <see cref="QueueLength"/> more waiting in arrival order; beyond that a request is refused as busy
/// at once, before its upload is read.
/// </summary>
public sealed class JobGate(int queueLength)
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _admitted; // running + waiting

    public int QueueLength { get; } = queueLength >= 0 ? queueLength : throw new ArgumentOutOfRangeException(nameof(queueLength));

    public int Running => _turn.CurrentCount == 0 ? 1 : 0;

    public int Waiting => Math.Max(0, Volatile.Read(ref _admitted) - Running);

    /// <summary>A place in line, or null when the line is full.</summary>
    public JobTicket? TryAdmit()
    {
        while (true)
        {
            int admitted = Volatile.Read(ref _admitted);
            if (admitted >= 1 + QueueLength) return null;
            if (Interlocked.CompareExchange(ref _admitted, admitted + 1, admitted) == admitted) return new JobTicket(this, admitted);
        }
    }

    internal Task WaitTurnAsync(CancellationToken token) => _turn.WaitAsync(token);

    internal void Leave(bool hadTurn)
    {
        if (hadTurn) _turn.Release();
        Interlocked.Decrement(ref _admitted);
    }
}

/// <summary>A place in the <see cref="JobGate"/>'s line; disposing it leaves the line (and gives up the turn).</summary>
public sealed class JobTicket : IDisposable
{
    private readonly JobGate _gate;
    private bool _hasTurn;
    private bool _left;

    internal JobTicket(JobGate gate, int ahead)
    {
        _gate = gate;
        Ahead = ahead;
    }

    /// <summary>Jobs admitted before this one and not finished when it was admitted.</summary>
    public int Ahead { get; }

    /// <summary>Waits until no other job runs; the wait ends early when <paramref name="token"/> is cancelled.</summary>
    public async Task WaitTurnAsync(CancellationToken token)
    {
        ObjectDisposedException.ThrowIf(_left, this);
        if (_hasTurn) return;
        await _gate.WaitTurnAsync(token);
        _hasTurn = true;
    }

    public void Dispose()
    {
        if (_left) return;
        _left = true;
        _gate.Leave(_hasTurn);
    }
}
