using System.Net;

namespace Vdsr.Server.Tests;

/// <summary>The PNG of an upload is vdsr-demo's for the same file and model, bit for bit (the bundled model, vdsr-demo's defaults).</summary>
public sealed class ByteExactTests : IDisposable
{
    private readonly ModelCatalog _models = ServeNetwork.Bundled();
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        _models.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task TheApiAndThePagesJobGiveVdsrDemosPng()
    {
        string input = _temp.File("small.png");
        TestImages.WriteRgb(input, 40, 30);
        var demo = Tool.Run("demo", ["--image", input, "--scale", "3", "--output", _temp.File("demo")], timeoutSeconds: 120);
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        var expected = File.ReadAllBytes(_temp.File("demo/small_x3_vdsr.png"));

        await using var server = await InMemoryServer.StartAsync(_models);
        using (var response = await server.Client.SendAsync(Http.PostFile("/api/upscale?scale=3&name=small.png", input)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
        }
        using var job = await server.Client.SendAsync(Http.PostFile("/api/jobs?scale=3&name=small.png", input), HttpCompletionOption.ResponseHeadersRead);
        using var events = new ServerEvents(await job.Content.ReadAsStreamAsync());
        var done = await events.UntilAsync("done", timeoutSeconds: 120);
        var picture = done.GetProperty("pictures").GetProperty("vdsr");
        Assert.Equal("small_x3_vdsr.png", picture.GetProperty("file").GetString());
        Assert.Equal(expected, await server.Client.GetByteArrayAsync(picture.GetProperty("url").GetString()));
    }
}
