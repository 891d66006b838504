using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Vdsr.Core;

namespace Vdsr.Server;

/// <summary>An uploaded image: where it was saved and the name it is shown under (the path never is).</summary>
public sealed record Upload(string Path, string Name)
{
    /// <summary>A message of the toolkit's readers (which name the saved path) as the user sees it: with the upload's name.</summary>
    public string Show(string message) => message.Replace(Path, Name, StringComparison.Ordinal);
}

/// <summary>
/// Saves a request's image into a job folder, streaming, within the upload limit: the raw body
/// (`curl --data-binary @photo.png`, name from `?name=`) or the first file of a multipart form
/// (`curl -F image=@photo.png`). Nothing is buffered elsewhere (ASP.NET's form reader would spill
/// large files into its own temp folder).
/// </summary>
public static class UploadReceiver
{
    private const int MaxNameLength = 100;

    public static async Task<Upload> ReceiveAsync(HttpRequest request, string? queryName, string folder, long maxBytes, CancellationToken token)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return await ReceiveMultipartAsync(request, type, folder, maxBytes, token);

        var upload = new Upload(System.IO.Path.Combine(folder, SafeName(queryName)), SafeName(queryName));
        await CopyAsync(request.Body, upload.Path, maxBytes, token);
        return upload;
    }

    private static async Task<Upload> ReceiveMultipartAsync(HttpRequest request, MediaTypeHeaderValue type, string folder, long maxBytes, CancellationToken token)
    {
        string boundary = HeaderUtilities.RemoveQuotes(type.Boundary).ToString();
        if (string.IsNullOrEmpty(boundary)) throw new VdsrUserException("the multipart upload has no boundary");
        var reader = new MultipartReader(boundary, request.Body);
        try
        {
            for (var section = await reader.ReadNextSectionAsync(token); section is not null; section = await reader.ReadNextSectionAsync(token))
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition()) continue;
                string name = SafeName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).ToString());
                var upload = new Upload(System.IO.Path.Combine(folder, name), name);
                await CopyAsync(section.Body, upload.Path, maxBytes, token);
                return upload;
            }
        }
        catch (InvalidDataException e)
        {
            throw new VdsrUserException($"the multipart upload is malformed ({e.Message.ReplaceLineEndings(" ").Trim()})", e);
        }
        throw new VdsrUserException("the multipart upload holds no file (send one file field, e.g. curl -F image=@photo.png)");
    }

    private static async Task CopyAsync(Stream body, string path, long maxBytes, CancellationToken token)
    {
        var buffer = new byte[81920];
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
        for (int read; (read = await body.ReadAsync(buffer, token)) > 0;)
        {
            total += read;
            if (total > maxBytes) throw TooLarge(maxBytes);
            await file.WriteAsync(buffer.AsMemory(0, read), token);
        }
    }

    private static RequestRefusedException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"the upload is larger than this server's limit of {Megabytes(maxBytes)}");

    public static string Megabytes(long bytes) => bytes % (1L << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";

    /// <summary>A file name that is safe to create in a job folder and to show: letters, digits, '.', '-', '_', ' '.</summary>
    public static string SafeName(string? name)
    {
        var clean = new StringBuilder();
        foreach (char c in System.IO.Path.GetFileName((name ?? "").Replace('\\', '/')))
            clean.Append(char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or ' ' ? c : '_');
        string safe = clean.ToString().Trim().TrimStart('.');
        if (safe.Length > MaxNameLength)
        {
            string extension = System.IO.Path.GetExtension(safe) is { Length: <= 10 } e ? e : "";
            safe = safe[..(MaxNameLength - extension.Length)] + extension;
        }
        return safe.Length > 0 ? safe : "upload";
    }
}
