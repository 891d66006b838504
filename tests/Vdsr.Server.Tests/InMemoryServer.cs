using Microsoft.AspNetCore.TestHost;

namespace Vdsr.Server.Tests;

/// <summary>The server on ASP.NET's in-memory test server, with a client; disposing stops it and deletes its work folder.</summary>
internal sealed class InMemoryServer : IAsyncDisposable
{
    private InMemoryServer(ServerHost host, HttpClient client)
    {
        Host = host;
        Client = client;
    }

    public ServerHost Host { get; }

    public HttpClient Client { get; }

    public static async Task<InMemoryServer> StartAsync(ModelCatalog models, ServerSettings? settings = null)
    {
        var host = ServerHost.Create(settings ?? new ServerSettings(), models, web => web.UseTestServer());
        try
        {
            await host.StartAsync();
            var client = ((TestServer)host.Server).CreateClient();
            client.Timeout = TimeSpan.FromSeconds(60);
            return new InMemoryServer(host, client);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
