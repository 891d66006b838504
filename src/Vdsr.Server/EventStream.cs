using Microsoft.AspNetCore.Http;

namespace Vdsr.Server;

/// <summary>Server-sent events on a response: `event: name` and `data: json`, flushed one by one.</summary>
internal sealed class EventStream
{
    private readonly HttpResponse _response;

    private EventStream(HttpResponse response) => _response = response;

    public static async Task<EventStream> StartAsync(HttpResponse response, CancellationToken token)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(token);
        return new EventStream(response);
    }

    public async Task SendAsync<T>(string name, T data, CancellationToken token)
    {
        await _response.WriteAsync($"event: {name}\ndata: {JsonText.Of(data)}\n\n", token);
        await _response.Body.FlushAsync(token);
    }
}
