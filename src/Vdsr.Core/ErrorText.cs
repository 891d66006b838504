using System.Text;

namespace Vdsr.Core;

/// <summary>
/// Text from a file (a tensor name, a parser's complaint quoting the file) made fit for a one-line
/// error message: line breaks and other control characters escaped, and the length capped.
/// </summary>
internal static class ErrorText
{
    private const int MaxLength = 300;

    public static string OneLine(string text)
    {
        var line = new StringBuilder(Math.Min(text.Length, MaxLength + 8));
        foreach (char c in text)
        {
            if (line.Length >= MaxLength)
            {
                line.Append("...");
                break;
            }
            if (char.IsControl(c)) line.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => $"\\x{(int)c:x2}" });
            else line.Append(c);
        }
        return line.ToString();
    }
}
