using Microsoft.AspNetCore.Http;
using Vdsr.Core;

namespace Vdsr.Server;

/// <summary>
/// Turns every failure of a request into a JSON answer `{"error": "..."}` with one line, as the
/// tools print it (`tool: error: ...`): 400 for a bad file or parameter, 413, 429 and 404 as
/// refused, 500 for a failure of the server itself, which is also written to stderr. The server
/// goes on in every case.
/// </summary>
internal static class ErrorResponses
{
    public static async Task Guard(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (the page was closed): nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, message) = Describe(e);
            if (status >= 500) Console.Error.WriteLine($"{context.Request.Method} {context.Request.Path}: {message}");
            if (e is RequestRefusedException { RetryAfter: { } wait }) context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteAsync(context.Response, status, message);
        }
    }

    public static (int Status, string Message) Describe(Exception e) => e switch
    {
        RequestRefusedException refused => (refused.StatusCode, OneLine(refused.Message)),
        VdsrUserException user => (StatusCodes.Status400BadRequest, OneLine(user.Message)),
        BadHttpRequestException bad => (bad.StatusCode, OneLine(bad.Message)),
        OperationCanceledException => (StatusCodes.Status503ServiceUnavailable, "the server is stopping"),
        _ => (StatusCodes.Status500InternalServerError, $"internal error: {e.GetType().Name}: {OneLine(e.Message)}"),
    };

    public static Task WriteAsync(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(JsonText.Of(new ErrorBody(message)));
    }

    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
