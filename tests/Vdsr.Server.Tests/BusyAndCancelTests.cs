using System.Net;
using System.Text.Json;

namespace Vdsr.Server.Tests;

/// <summary>One job at a time, a bounded line, 429 beyond it, and a job that stops when its client goes away.</summary>
public sealed class BusyAndCancelTests() : FakeModelTests(gated: true)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private byte[] _png = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        TestImages.WriteRgb(Temp.File("small.png"), 20, 16); // x2 in 8-pixel tiles: 20 tiles
        _png = File.ReadAllBytes(Temp.File("small.png"));
    }

    private async Task<(HttpResponseMessage Response, ServerEvents Events)> StartJob(InMemoryServer server)
    {
        var response = await server.Client.SendAsync(Http.Post("/api/jobs?scale=2&name=small.png", _png), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, new ServerEvents(await response.Content.ReadAsStreamAsync()));
    }

    private static async Task<JsonElement> Health(InMemoryServer server)
    {
        using var json = JsonDocument.Parse(await server.Client.GetStringAsync("/api/health"));
        return json.RootElement.Clone();
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"never: {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task ASecondJobIsBusyWhenNothingMayWait()
    {
        await using var server = await InMemoryServer.StartAsync(Models, new ServerSettings { QueueLength = 0 });
        var (first, events) = await StartJob(server);
        using (first)
        using (events)
        {
            await events.UntilAsync("started");
            Assert.True(Network.WaitForTile(Wait));

            using (var busy = await server.Client.SendAsync(Http.Post("/api/upscale?scale=2", _png)))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
                Assert.Equal("5", busy.Headers.GetValues("Retry-After").Single());
                Assert.Equal("busy: 1 job running and 0 waiting (this server queues at most 0); try again later", await Http.ErrorOf(busy));
            }
            Network.Open();
            await events.UntilAsync("done");
        }
        using var after = await server.Client.SendAsync(Http.Post("/api/upscale?scale=2", _png));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task JobsWaitInLineUpToTheQueueLength()
    {
        await using var server = await InMemoryServer.StartAsync(Models, new ServerSettings { QueueLength = 1 });
        var (first, firstEvents) = await StartJob(server);
        await firstEvents.UntilAsync("started");
        var (second, secondEvents) = await StartJob(server);
        using (first)
        using (firstEvents)
        using (second)
        using (secondEvents)
        {
            Assert.Equal(1, (await secondEvents.UntilAsync("queued")).GetProperty("ahead").GetInt32());
            var health = await Health(server);
            Assert.Equal((1, 1), (health.GetProperty("running").GetInt32(), health.GetProperty("waiting").GetInt32()));
            using (var third = await server.Client.SendAsync(Http.Post("/api/jobs?scale=2", _png)))
                Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);

            Network.Open();
            await firstEvents.UntilAsync("done");
            await secondEvents.UntilAsync("started");
            await secondEvents.UntilAsync("done");
        }
    }

    [Fact]
    public async Task ClosingTheRequestStopsTheJobAtTheNextTile()
    {
        await using var server = await InMemoryServer.StartAsync(Models);
        var (response, events) = await StartJob(server);
        await events.UntilAsync("started");
        Network.Allow(2);
        await events.UntilAsync("progress");
        await events.UntilAsync("progress");
        Assert.True(Network.WaitForTile(Wait)); // the third tile is held
        events.Dispose();
        response.Dispose(); // the page closes

        // The held tile is let go (one more at a time, in case a tile ends before the server has seen
        // the request close); the job stops at the end of a tile, long before its 20 tiles, and frees the line.
        var deadline = DateTime.UtcNow + Wait;
        while ((await Health(server)).GetProperty("running").GetInt32() != 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the job never stopped");
            Network.Allow(1);
            await Task.Delay(50);
        }
        int tiles = Network.Tiles;
        Assert.InRange(tiles, 3, 10);
        await Task.Delay(200);
        Assert.Equal(tiles, Network.Tiles);
        await WaitUntil(() => Task.FromResult(Directory.GetDirectories(server.Host.Work.Path).Length == 0), "the cancelled job's folder was deleted");
    }

    [Fact]
    public async Task AJobThatGoesAwayWhileWaitingLeavesTheLine()
    {
        await using var server = await InMemoryServer.StartAsync(Models, new ServerSettings { QueueLength = 1 });
        var (first, firstEvents) = await StartJob(server);
        await firstEvents.UntilAsync("started");
        var (second, secondEvents) = await StartJob(server);
        await secondEvents.UntilAsync("queued");
        secondEvents.Dispose();
        second.Dispose();
        await WaitUntil(async () => (await Health(server)).GetProperty("waiting").GetInt32() == 0, "the waiting job left the line");

        // Its place is free: another job may wait again.
        var (third, thirdEvents) = await StartJob(server);
        using (first)
        using (firstEvents)
        using (third)
        using (thirdEvents)
        {
            await thirdEvents.UntilAsync("queued");
            Network.Open();
            await firstEvents.UntilAsync("done");
            await thirdEvents.UntilAsync("done");
        }
    }
}
