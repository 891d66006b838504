namespace Vdsr.Server;

/// <summary>A request refused with an HTTP status other than 400 (413 too large, 429 busy, 404 unknown), with the reason to show.</summary>
public sealed class RequestRefusedException(int statusCode, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
