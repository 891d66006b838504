using Vdsr.Cli;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using Vdsr.Server;

namespace Vdsr.Server.Tests;

/// <summary>
/// A network that returns its input (so VDSR equals bicubic), counts its tiles and, when gated,
/// runs each tile only when the test allows it: jobs that stay busy exactly as long as a test needs.
/// </summary>
internal sealed class FakeNetwork : ITileNetwork, IDisposable
{
    private readonly SemaphoreSlim _permits = new(0);
    private readonly SemaphoreSlim _entered = new(0);
    private volatile bool _open;
    private int _tiles;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int, string?), bool> _threads = new();

    public FakeNetwork(bool gated = false) => _open = !gated;

    public VdsrArchitecture Architecture { get; } = VdsrArchitecture.Uniform(2, 4);

    public string Plan => "identity";

    public int Tiles => Volatile.Read(ref _tiles);

    /// <summary>The threads (managed id, name) that ran tiles.</summary>
    public ICollection<(int Id, string? Name)> Threads => _threads.Keys;

    public void Forward(float[] input, int height, int width, float[] output)
    {
        Interlocked.Increment(ref _tiles);
        _threads[(Environment.CurrentManagedThreadId, Thread.CurrentThread.Name)] = true;
        _entered.Release();
        if (!_open && !_permits.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the test never let the tile run");
        Array.Copy(input, output, height * width);
    }

    /// <summary>Waits until a tile has started (and is held, when gated).</summary>
    public bool WaitForTile(TimeSpan timeout) => _entered.Wait(timeout);

    public void Allow(int tiles) => _permits.Release(tiles);

    public void Open()
    {
        _open = true;
        _permits.Release(1000);
    }

    /// <summary>A catalog serving this network as model "fake", in 8-pixel tiles (many tiles, so progress and cancellation show).</summary>
    public ModelCatalog Catalog() =>
        ModelCatalog.Load([new ModelChoice("fake", "Fake", "fake.pth")],
            _ => new RunningNetwork(this, new TilingOptions { TileSize = 8 }, "identity network", this));

    public void Dispose() => Open();
}
