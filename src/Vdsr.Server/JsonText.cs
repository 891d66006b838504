using System.Text.Json;

namespace Vdsr.Server;

/// <summary>The server's JSON: camelCase names, nulls left out.</summary>
internal static class JsonText
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Of<T>(T value) => JsonSerializer.Serialize(value, Options);
}

/// <summary>The body of every error answer: one line saying what is wrong, as the command-line tools say it.</summary>
public sealed record ErrorBody(string Error);
