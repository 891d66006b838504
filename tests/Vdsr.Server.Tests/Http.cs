using System.Net.Http.Headers;
using System.Text.Json;

namespace Vdsr.Server.Tests;

/// <summary>Requests and answers as a script would send and read them.</summary>
internal static class Http
{
    public static HttpRequestMessage Post(string url, byte[] body) =>
        new(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };

    public static HttpRequestMessage PostFile(string url, string path) => Post(url, File.ReadAllBytes(path));

    /// <summary>The one-line reason of an error answer, after checking that it is JSON.</summary>
    public static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string error = json.RootElement.GetProperty("error").GetString()!;
        Assert.DoesNotContain('\n', error);
        return error;
    }

    public static MultipartFormDataContent Form(string field, string fileName, byte[] bytes)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, field, fileName } };
    }
}
