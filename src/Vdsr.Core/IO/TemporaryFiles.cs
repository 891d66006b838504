using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Vdsr.Core.IO;

/// <summary>
/// Names of the temporary files (and folders) a write builds beside its final file:
/// `.&lt;name&gt;.&lt;pid&gt;-&lt;random&gt;.&lt;kind&gt;`. The writer's process id in the name lets a later
/// run delete what a killed run left behind without touching the files of a run still going.
/// </summary>
public static partial class TemporaryFiles
{
    /// <summary>A fresh temporary path beside <paramref name="finalPath"/>; <paramref name="kind"/> is e.g. "tmp".</summary>
    public static string Beside(string finalPath, string kind)
    {
        string full = Path.GetFullPath(finalPath);
        string tag = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{tag}.{kind}");
    }

    /// <summary>Deletes the temporary files of <paramref name="finalPath"/> whose writer is no longer running.</summary>
    public static int RemoveLeftovers(string finalPath)
    {
        string full = Path.GetFullPath(finalPath);
        return RemoveLeftovers(Path.GetDirectoryName(full)!, Path.GetFileName(full));
    }

    /// <summary>Deletes every temporary file or folder in <paramref name="folder"/> whose writer is no longer running.</summary>
    public static int RemoveLeftoversIn(string folder) => RemoveLeftovers(folder, finalName: null);

    private static int RemoveLeftovers(string folder, string? finalName)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, ".*"))
        {
            var match = LeftoverName().Match(Path.GetFileName(entry));
            if (!match.Success || (finalName is not null && match.Groups["name"].Value != finalName)) continue;
            if (!int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || IsRunning(pid)) continue;
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's leftover we may not delete: it is in the way of nothing.
            }
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\.(?<name>.+)\.(?<pid>\d+)-[0-9a-f]{32}\.(tmp|buckets)$")]
    private static partial Regex LeftoverName();
}
