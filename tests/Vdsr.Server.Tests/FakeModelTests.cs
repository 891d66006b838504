namespace Vdsr.Server.Tests;

/// <summary>
/// Tests against the fake network's model catalogue: the network, its catalogue and a temporary
/// folder, made before each test and disposed after it (a gated network is opened first, so no job waits).
/// </summary>
public abstract class FakeModelTests : IAsyncLifetime
{
    private protected FakeModelTests(bool gated = false) => Network = new FakeNetwork(gated);

    private protected FakeNetwork Network { get; }
    private protected TempFolder Temp { get; } = new();
    private protected ModelCatalog Models { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Models = Network.Catalog();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Network.Dispose();
        Models.Dispose();
        Temp.Dispose();
        return Task.CompletedTask;
    }
}
