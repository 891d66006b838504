using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vdsr.Core;

namespace Vdsr.Server;

/// <summary>
/// The web server: Kestrel on <see cref="ServerSettings.Host"/>:<see cref="ServerSettings.Port"/>,
/// the page and the API, one job at a time, and the work folder, deleted when the server is disposed.
/// The models belong to the caller.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    /// <summary>Room for a multipart form's boundaries and headers around an upload of the largest size.</summary>
    private const long MultipartAllowance = 64 << 10;

    private readonly WebApplication _app;
    private bool _disposed;

    private readonly InferenceThread _inference;

    private ServerHost(WebApplication app, WorkFolder work, JobGate gate, InferenceThread inference)
    {
        _app = app;
        _inference = inference;
        Work = work;
        Gate = gate;
    }

    public WorkFolder Work { get; }

    public JobGate Gate { get; }

    /// <summary>The server (Kestrel, or the in-memory test server that <c>configure</c> put in its place).</summary>
    public IServer Server => _app.Services.GetRequiredService<IServer>();

    /// <param name="configure">changes to the web host before it is built (tests put an in-memory server in Kestrel's place)</param>
    public static ServerHost Create(ServerSettings settings, ModelCatalog models, Action<IWebHostBuilder>? configure = null)
    {
        var address = settings.ListenAddress();
        if (settings.Port is < 0 or > 65535) throw new VdsrUserException($"port {settings.Port}: must be from 0 to 65535");
        var gate = new JobGate(settings.QueueLength);
        var work = new WorkFolder(settings.KeptResults);
        var inference = new InferenceThread();
        try
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = work.Path });
            builder.Services.AddRoutingCore();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = settings.MaxUploadBytes + MultipartAllowance;
                kestrel.Listen(address, settings.Port);
            });
            configure?.Invoke(builder.WebHost);
            var app = builder.Build();
            app.Use(ErrorResponses.Guard);
            app.UseRouting();
            PageEndpoints.Map(app);
            new ApiEndpoints(settings, models, gate, work, inference, app.Lifetime.ApplicationStopping).Map(app);
            return new ServerHost(app, work, gate, inference);
        }
        catch
        {
            inference.Dispose();
            work.Dispose();
            throw;
        }
    }

    /// <summary>Starts listening; a port in use or an address not on this machine is one line.</summary>
    public async Task StartAsync(CancellationToken token = default)
    {
        try
        {
            await _app.StartAsync(token);
        }
        catch (IOException e)
        {
            throw new VdsrUserException($"cannot listen ({ErrorResponses.OneLine(e.Message)})", e);
        }
    }

    /// <summary>Where the server listens, with the port the system chose for port 0.</summary>
    public Uri Address => new(Server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                              ?? throw new InvalidOperationException("the server is not listening"));

    /// <summary>Waits until <paramref name="token"/> is cancelled or the host is told to stop.</summary>
    public Task WaitForShutdownAsync(CancellationToken token) => _app.WaitForShutdownAsync(token);

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            await _app.StopAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // Never started, or stopped already.
        }
        await _app.DisposeAsync();
        _inference.Dispose(); // a job that was stopping ends before its folder goes
        Work.Dispose();
    }
}
