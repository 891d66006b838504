using System.Net;
using System.Text.Json;
using Vdsr.Core.Imaging;

namespace Vdsr.Server.Tests;

/// <summary>The HTTP API on the in-memory server, with an identity network (no libtorch): answers, errors, limits, results.</summary>
public sealed class ApiTests : FakeModelTests
{
    private Task<InMemoryServer> Start(ServerSettings? settings = null) => InMemoryServer.StartAsync(Models, settings);

    private byte[] SmallPng(int width = 20, int height = 16)
    {
        string path = Temp.File($"small_{width}x{height}.png");
        TestImages.WriteRgb(path, width, height);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public async Task HealthListsTheModelsAndLimits()
    {
        await using var server = await Start(new ServerSettings { MaxPixels = 12345, QueueLength = 3 });
        using var json = JsonDocument.Parse(await server.Client.GetStringAsync("/api/health"));
        var root = json.RootElement;
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal(12345, root.GetProperty("maxPixels").GetInt64());
        Assert.Equal(3, root.GetProperty("queueLength").GetInt32());
        Assert.Equal(0, root.GetProperty("running").GetInt32());
        var model = Assert.Single(root.GetProperty("models").EnumerateArray());
        Assert.Equal("fake", model.GetProperty("id").GetString());
        Assert.Equal("identity network", model.GetProperty("description").GetString());
    }

    [Fact]
    public async Task UpscaleAnswersThePngNamedAfterTheUpload()
    {
        await using var server = await Start();
        using var response = await server.Client.SendAsync(Http.Post("/api/upscale?scale=3&name=photo.png", SmallPng()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("photo_x3_vdsr.png", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("fake", response.Headers.GetValues("X-Vdsr-Model").Single());
        File.WriteAllBytes(Temp.File("result.png"), await response.Content.ReadAsByteArrayAsync());
        var header = ImageFile.Identify(Temp.File("result.png"));
        Assert.Equal((60, 48), (header.Width, header.Height));
        Assert.Empty(Directory.GetDirectories(server.Host.Work.Path)); // the job's folder went with the answer
    }

    [Fact]
    public async Task DefaultScaleIsVdsrDemos()
    {
        await using var server = await Start();
        using var response = await server.Client.SendAsync(Http.Post("/api/upscale", SmallPng()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upload_x4_vdsr.png", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task MultipartUploadTakesTheFilesName()
    {
        await using var server = await Start();
        using var response = await server.Client.PostAsync("/api/upscale?scale=2", Http.Form("image", "holiday photo.png", SmallPng()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("holiday photo_x2_vdsr.png", response.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task AMultipartFormWithoutAFileIsRefused()
    {
        await using var server = await Start();
        using var form = new MultipartFormDataContent { { new StringContent("2"), "scale" } };
        using var response = await server.Client.PostAsync("/api/upscale", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("the multipart upload holds no file", await Http.ErrorOf(response));
    }

    [Theory]
    [InlineData("scale=9", "scale: '9' is not an integer factor between 2 and 8")]
    [InlineData("scale=x2", "scale: 'x2' is not an integer factor between 2 and 8")]
    [InlineData("scale=-2", "scale: '-2' is not an integer factor between 2 and 8")]
    [InlineData("model=int8", "model 'int8': not served here (this server has fake)")]
    [InlineData("mode=sharpen", "mode: 'sharpen' is not upscale or ground-truth")]
    public async Task BadParametersAreOneLine(string query, string expected)
    {
        await using var server = await Start();
        using var response = await server.Client.SendAsync(Http.Post("/api/upscale?" + query, SmallPng()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, await Http.ErrorOf(response));
        Assert.Equal(0, Network.Tiles);
    }

    [Fact]
    public async Task OversizeUploadIs413WithOrWithoutALength()
    {
        await using var server = await Start(new ServerSettings { MaxUploadBytes = 1000 });
        var body = new byte[1001];
        using (var response = await server.Client.SendAsync(Http.Post("/api/upscale?name=big.png", body)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("the upload is larger than this server's limit of 1000 bytes", await Http.ErrorOf(response));
        }
        // Chunked: no Content-Length, so the limit is counted while the upload streams in.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/upscale") { Content = new StreamContent(new MemoryStream(body)) };
        chunked.Headers.TransferEncodingChunked = true;
        using var answer = await server.Client.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
        Assert.Empty(Directory.GetDirectories(server.Host.Work.Path));
    }

    [Fact]
    public async Task AHundredThousandSquaredHeaderIsRefusedBeforeDecoding()
    {
        await using var server = await Start();
        TestImages.WritePngClaiming(Temp.File("huge.png"), 100_000, 100_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await server.Client.SendAsync(Http.PostFile("/api/upscale?scale=2&name=huge.png", Temp.File("huge.png")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("huge.png: 100000x100000 image has more than the allowed 100000000 pixels", await Http.ErrorOf(response));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(0, Network.Tiles);
    }

    [Fact]
    public async Task TheResultSizeIsCheckedFromTheHeader()
    {
        await using var server = await Start(new ServerSettings { MaxPixels = 2000 });
        using var response = await server.Client.SendAsync(Http.Post("/api/upscale?scale=4&name=s.png", SmallPng()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("s.png: the x4 result would have 5120 pixels, more than the allowed 2000", await Http.ErrorOf(response));
    }

    [Fact]
    public async Task UnknownApiIs404Json()
    {
        await using var server = await Start();
        using var response = await server.Client.GetAsync("/api/nothing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("GET /api/nothing: no such API (see GET /api/health)", await Http.ErrorOf(response));
    }

    [Fact]
    public async Task ThePageAndItsFilesAreServedWithAStrictPolicy()
    {
        await using var server = await Start();
        using var page = await server.Client.GetAsync("/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"app.js\" defer></script>", html);
        Assert.DoesNotContain("http", html.Replace("http-equiv", ""), StringComparison.OrdinalIgnoreCase); // nothing from elsewhere
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        foreach (var (path, type) in new[] { ("/app.js", "text/javascript"), ("/app.css", "text/css") })
        {
            using var file = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(type, file.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task AJobStreamsQueuedStartedEveryTileAndDone()
    {
        await using var server = await Start();
        using var response = await server.Client.SendAsync(Http.Post("/api/jobs?scale=2&name=small.png", SmallPng()), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new ServerEvents(await response.Content.ReadAsStreamAsync());
        var queued = await events.UntilAsync("queued");
        Assert.Equal((20, 16, 0), (queued.GetProperty("width").GetInt32(), queued.GetProperty("height").GetInt32(), queued.GetProperty("ahead").GetInt32()));
        await events.UntilAsync("started");
        // 40x32 in 8-pixel tiles: 5 x 4 tiles, each reported.
        for (int tile = 1; tile <= 20; tile++)
        {
            var (name, data) = await events.NextAsync();
            Assert.Equal("progress", name);
            Assert.Equal((tile, 20), (data.GetProperty("done").GetInt32(), data.GetProperty("total").GetInt32()));
        }
        var done = await events.UntilAsync("done");
        Assert.Equal((40, 32), (done.GetProperty("outputWidth").GetInt32(), done.GetProperty("outputHeight").GetInt32()));

        var pictures = done.GetProperty("pictures");
        Assert.Equal("small_x2_vdsr.png", pictures.GetProperty("vdsr").GetProperty("file").GetString());
        var vdsr = await server.Client.GetByteArrayAsync(pictures.GetProperty("vdsr").GetProperty("url").GetString());
        var bicubic = await server.Client.GetByteArrayAsync(pictures.GetProperty("bicubic").GetProperty("url").GetString());
        // The identity network gives back the bicubic Y (through float32): the pictures agree within a rounding step.
        File.WriteAllBytes(Temp.File("v.png"), vdsr);
        File.WriteAllBytes(Temp.File("b.png"), bicubic);
        var v = ImageFile.Load(Temp.File("v.png")).Rgb.Data;
        var b = ImageFile.Load(Temp.File("b.png")).Rgb.Data;
        Assert.Equal(40 * 32 * 3, v.Length);
        Assert.All(Enumerable.Range(0, v.Length), i => Assert.InRange(v[i] - b[i], -1, 1));
    }

    [Fact]
    public async Task EveryJobRunsOnTheInferenceThread()
    {
        // libtorch keeps per-calling-thread pools and arenas: jobs spread over thread-pool threads made the RSS grow.
        await using var server = await Start();
        async Task Upscale(int i)
        {
            using var response = await server.Client.SendAsync(Http.Post($"/api/upscale?scale=2&name=t{i}.png", SmallPng()));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Task.WhenAll(Enumerable.Range(0, 3).Select(Upscale)); // three at once: one runs, two wait
        await Task.WhenAll(Enumerable.Range(3, 3).Select(Upscale));
        Assert.Equal(6 * 20, Network.Tiles);
        Assert.Equal("vdsr inference", Assert.Single(Network.Threads).Name);
    }

    [Fact]
    public async Task GroundTruthModeReportsPsnrs()
    {
        await using var server = await Start();
        using var response = await server.Client.SendAsync(Http.Post("/api/upscale?scale=3&mode=ground-truth&name=g.png", SmallPng(25, 19)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        double vdsr = double.Parse(response.Headers.GetValues("X-Vdsr-Psnr").Single(), System.Globalization.CultureInfo.InvariantCulture);
        double bicubic = double.Parse(response.Headers.GetValues("X-Vdsr-Psnr-Bicubic").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(bicubic, vdsr, 3); // the identity network (through float32)
        Assert.InRange(vdsr, 10, 99);
        File.WriteAllBytes(Temp.File("g.png"), await response.Content.ReadAsByteArrayAsync());
        var header = ImageFile.Identify(Temp.File("g.png"));
        Assert.Equal((24, 18), (header.Width, header.Height)); // cropped to a multiple of 3
    }

    [Fact]
    public async Task OnlyTheLatestResultsAreKept()
    {
        await using var server = await Start(new ServerSettings { KeptResults = 1 });
        var urls = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            using var response = await server.Client.SendAsync(Http.Post($"/api/jobs?scale=2&name=n{i}.png", SmallPng()), HttpCompletionOption.ResponseHeadersRead);
            using var events = new ServerEvents(await response.Content.ReadAsStreamAsync());
            urls.Add((await events.UntilAsync("done")).GetProperty("pictures").GetProperty("vdsr").GetProperty("url").GetString()!);
        }
        using (var evicted = await server.Client.GetAsync(urls[0]))
        {
            Assert.Equal(HttpStatusCode.NotFound, evicted.StatusCode);
            Assert.Contains("kept for the latest 1 jobs", await Http.ErrorOf(evicted));
        }
        using (var kept = await server.Client.GetAsync(urls[1])) Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Single(Directory.GetDirectories(server.Host.Work.Path));
        using (var traversal = await server.Client.GetAsync("/api/results/..%2F..%2Fetc/passwd")) Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
    }

    [Fact]
    public async Task TheWorkFolderIsDeletedWhenTheServerStops()
    {
        var server = await Start();
        string work = server.Host.Work.Path;
        Assert.StartsWith(Path.GetTempPath(), work);
        using (var response = await server.Client.SendAsync(Http.Post("/api/jobs?scale=2", SmallPng()), HttpCompletionOption.ResponseHeadersRead))
        using (var events = new ServerEvents(await response.Content.ReadAsStreamAsync()))
            await events.UntilAsync("done");
        Assert.NotEmpty(Directory.GetFileSystemEntries(work, "*", SearchOption.AllDirectories));
        await server.DisposeAsync();
        Assert.False(Directory.Exists(work));
    }
}
