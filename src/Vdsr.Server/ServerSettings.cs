using System.Net;
using Vdsr.Core;
using Vdsr.Core.Imaging;

namespace Vdsr.Server;

/// <summary>Where the server listens and what it accepts.</summary>
public sealed record ServerSettings
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 lets the system pick a free one (see <see cref="ServerHost.Address"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Largest image (input, and result of an enlargement) in pixels, as vdsr-demo's limit.</summary>
    public long MaxPixels { get; init; } = ImageFile.DefaultMaxPixels;

    /// <summary>Largest upload in bytes (the image file itself).</summary>
    public long MaxUploadBytes { get; init; } = 50L << 20;

    /// <summary>Jobs that may wait while one runs; more are refused as busy (HTTP 429).</summary>
    public int QueueLength { get; init; } = 4;

    /// <summary>Finished results of the page's jobs kept for viewing and download; older ones are deleted.</summary>
    public int KeptResults { get; init; } = 32;

    /// <summary>The address to listen on; refuses a host that is not an IP address, in one line, before anything loads.</summary>
    public IPAddress ListenAddress()
    {
        if (Host == "localhost") return IPAddress.Loopback;
        return IPAddress.TryParse(Host, out var address) ? address
            : throw new VdsrUserException($"host '{Host}': not an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface)");
    }
}
