using System.Text;
using Vdsr.Core.IO;

namespace Vdsr.Core.Training;

/// <summary>
/// Reads a run's CSV training log back (to rewind it, to add a column, to draw its curves). The log
/// lives in a user-given checkpoint folder, so it is read like any other input: a regular file only,
/// and at most <see cref="MaxBytes"/>, which is some ten million rows.
/// </summary>
public static class TrainingLogFile
{
    public const long MaxBytes = 1L << 30;

    /// <summary>The whole log as text; a one-line <see cref="VdsrUserException"/> when it cannot be read.</summary>
    public static string ReadText(string path)
    {
        try { return Encoding.UTF8.GetString(WholeFile.Read(path, "training log", MaxBytes)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{path}: cannot read the training log ({ErrorText.OneLine(e.Message)})", e);
        }
    }

    /// <summary>The most a header line may have; a log's header is a few dozen column names.</summary>
    public const int MaxHeaderChars = 64 * 1024;

    /// <summary>
    /// The log's first line (its column names) without reading the rest: a resumed run checks it
    /// before the log is rewound, which reads the whole log once. Null for an empty log.
    /// </summary>
    public static string? ReadHeader(string path)
    {
        WholeFile.RequireRegular(path, "training log");
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            var header = new StringBuilder();
            for (int c = reader.Read(); c >= 0 && c != '\n'; c = reader.Read())
            {
                if (header.Length == MaxHeaderChars)
                    throw new VdsrUserException($"{path}: the first line has more than {MaxHeaderChars} characters (not a training log?)");
                header.Append((char)c);
            }
            return header.Length == 0 && reader.EndOfStream ? null : header.ToString().TrimEnd('\r');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{path}: cannot read the training log ({ErrorText.OneLine(e.Message)})", e);
        }
    }

    /// <summary>The log's lines, without line ends; a final line end yields no empty last line.</summary>
    public static string[] ReadLines(string path)
    {
        var lines = ReadText(path).Split('\n');
        if (lines[^1].Length == 0) lines = lines[..^1];
        return [.. lines.Select(l => l.TrimEnd('\r'))];
    }
}
