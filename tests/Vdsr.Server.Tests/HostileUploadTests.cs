using System.Net;
using Vdsr.Core;
using Vdsr.Core.Inference;

namespace Vdsr.Server.Tests;

/// <summary>
/// Truncated, corrupted, garbage and lying files: each is answered 400 with the one-line reason
/// vdsr-demo gives for the same file (its reader's message, with the upload's name for the path),
/// or upscaled when it still decodes; never a 500, and the server answers afterwards.
/// </summary>
public sealed class HostileUploadTests : FakeModelTests
{
    private const long MaxPixels = 1_000_000;

    private static IEnumerable<(string Name, byte[] Bytes)> HostileFiles()
    {
        var random = new Random(25);
        foreach (var source in new[] { "tiny.png", "tiny.jpg", "tiny.bmp", "tiny.webp", "tiny.gif" })
        {
            var bytes = File.ReadAllBytes(Tool.InRepo($"tests/fixtures/fuzz/{source}"));
            foreach (double fraction in new[] { 0.05, 0.2, 0.4, 0.6, 0.8, 0.95 })
                yield return ($"cut{fraction}_{source}", bytes[..Math.Max(1, (int)(bytes.Length * fraction))]);
            for (int i = 0; i < 6; i++)
            {
                var corrupt = (byte[])bytes.Clone();
                for (int k = 0; k < 4; k++) corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
                yield return ($"flip{i}_{source}", corrupt);
            }
        }
        var garbage = new byte[4096];
        random.NextBytes(garbage);
        yield return ("garbage.png", garbage);
        yield return ("empty.png", []);
        yield return ("notes.txt", "hello"u8.ToArray());
        yield return ("animated.gif", File.ReadAllBytes(Tool.InRepo("tests/fixtures/fuzz/animated.gif")));
        var cutBmp = File.ReadAllBytes(Tool.InRepo("Set5/butterfly_GT.bmp"));
        yield return ("cut_butterfly.bmp", cutBmp[..(cutBmp.Length / 3)]);
    }

    /// <summary>What vdsr-demo says about the file (null: it upscales it), with the upload's name for the path.</summary>
    private string? DemoReason(string path, string name)
    {
        try
        {
            ImageUpscaleJob.CheckHeader(path, 2, MaxPixels);
            new ImageUpscaleJob { Upscaler = Models.Models[0].Upscaler, Scale = 2, OutputFolder = Temp.File("unused"), MaxPixels = MaxPixels }.Load(path);
            return null;
        }
        catch (VdsrUserException e)
        {
            return e.Message.Replace(path, name, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryHostileFileGetsTheDemosReasonAndTheServerGoesOn()
    {
        await using var server = await InMemoryServer.StartAsync(Models, new ServerSettings { MaxPixels = MaxPixels });
        int refused = 0;
        foreach (var (name, bytes) in HostileFiles())
        {
            string local = Temp.File(name);
            File.WriteAllBytes(local, bytes);
            string? expected = DemoReason(local, name);
            using var response = await server.Client.SendAsync(Http.Post($"/api/upscale?scale=2&name={Uri.EscapeDataString(name)}", bytes));
            if (expected is null)
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {response.StatusCode}, expected 400 '{expected}'");
            Assert.Equal(expected, await Http.ErrorOf(response));
            Assert.StartsWith(name + ": ", expected);
            refused++;
        }
        Assert.True(refused >= 40, $"only {refused} files refused: the corpus lost its teeth");
        using var health = await server.Client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Empty(Directory.GetDirectories(server.Host.Work.Path));
    }

    [Fact]
    public async Task ANameCannotLeaveTheJobFolder()
    {
        await using var server = await InMemoryServer.StartAsync(Models);
        using var response = await server.Client.SendAsync(Http.Post("/api/upscale?scale=2&name=..%2F..%2F.bashrc", "x"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bashrc: not an image in a supported format (PNG, JPEG, BMP, WebP or GIF)", await Http.ErrorOf(response));
        Assert.Equal("upload", UploadReceiver.SafeName("../.."));
        Assert.Equal("a_b.png", UploadReceiver.SafeName("a<b.png"));
    }
}
