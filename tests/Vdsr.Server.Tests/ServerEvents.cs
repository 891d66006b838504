using System.Text.Json;

namespace Vdsr.Server.Tests;

/// <summary>Reads a server-sent event stream one event at a time, each read bounded in time.</summary>
internal sealed class ServerEvents(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    public async Task<(string Name, JsonElement Data)> NextAsync(int timeoutSeconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        string name = "message", data = "";
        while (true)
        {
            string? line = await _reader.ReadLineAsync(timeout.Token);
            if (line is null) throw new EndOfStreamException("the event stream ended");
            if (line.Length == 0 && data.Length > 0) return (name, JsonDocument.Parse(data).RootElement.Clone());
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data += line[6..];
        }
    }

    /// <summary>Reads until an event named <paramref name="name"/>, failing on an error event.</summary>
    public async Task<JsonElement> UntilAsync(string name, int timeoutSeconds = 30)
    {
        while (true)
        {
            var (eventName, data) = await NextAsync(timeoutSeconds);
            if (eventName == name) return data;
            if (eventName == "error") throw new Xunit.Sdk.XunitException($"error event: {data}");
        }
    }

    public void Dispose() => _reader.Dispose();
}
