using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Vdsr.Server.Tests;

/// <summary>vdsr-serve as a process, as a user starts it.</summary>
public sealed partial class ServeToolTests
{
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private const int SigTerm = 15;

    [GeneratedRegex(@"Listening on (http://\S+) ")]
    private static partial Regex ListeningLine();

    [Fact]
    public async Task ServesVdsrDemosPngAndDeletesItsWorkFolderOnSigterm()
    {
        using var temp = new TempFolder();
        string input = temp.File("photo.png");
        TestImages.WriteRgb(input, 24, 20);
        using var serve = new RunningTool("serve", ["--port", "0"], temp.Path);
        Assert.True(serve.WaitForOutput("Listening on ", TimeSpan.FromSeconds(120)), $"vdsr-serve did not start:\n{serve.Output}");
        var address = new Uri(ListeningLine().Match(serve.Output).Groups[1].Value);
        Assert.Equal("127.0.0.1", address.Host);
        var work = Directory.GetDirectories(Path.GetTempPath(), $".vdsr-serve.{serve.Id}-*.tmp", new EnumerationOptions { AttributesToSkip = 0 });
        Assert.Single(work);

        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(120) };
        byte[] served;
        using (var response = await client.SendAsync(Http.PostFile("/api/upscale?scale=2&name=photo.png", input)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            served = await response.Content.ReadAsByteArrayAsync();
        }
        var demo = Tool.Run("demo", ["--image", input, "--scale", "2", "--output", temp.File("demo")], timeoutSeconds: 120);
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        Assert.Equal(File.ReadAllBytes(temp.File("demo/photo_x2_vdsr.png")), served);

        Assert.Equal(0, Kill(serve.Id, SigTerm));
        var result = serve.Wait(60);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Stopped.", result.Stdout);
        Assert.False(Directory.Exists(work[0]), "the work folder outlived the server");
        Assert.Equal(["photo.png", "demo"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName).OrderDescending());
    }

    [Theory]
    [InlineData(new[] { "--port", "70000" }, "--port 70000: expected 0 to 65535")]
    [InlineData(new[] { "--queue", "-1" }, "--queue -1: must be 0 or more")]
    [InlineData(new[] { "--max-upload-mb", "0" }, "--max-upload-mb 0: must be at least 1")]
    [InlineData(new[] { "--host", "example.org" }, "host 'example.org': not an IP address")]
    [InlineData(new[] { "--pruned-model", "/nonexistent/pruned.safetensors" }, "/nonexistent/pruned.safetensors: model file not found")]
    public void BadFlagsAreOneLine(string[] args, string expected)
    {
        var result = Tool.Run("serve", args, timeoutSeconds: 120); // each is refused before the server binds a port
        Tool.AssertOneLineError(result, expected);
    }

    [Fact]
    public void APortInUseIsOneLine()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var result = Tool.Run("serve", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeoutSeconds: 120);
        Tool.AssertOneLineError(result, "cannot listen", "address already in use");
    }
}
