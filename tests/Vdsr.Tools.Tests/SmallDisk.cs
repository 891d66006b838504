using System.Diagnostics;
using System.Globalization;

namespace Vdsr.Tools.Tests;

/// <summary>
/// A tmpfs of a few MB mounted for a test, to fill up for real. Mounting needs root (or CAP_SYS_ADMIN);
/// where that is missing, <see cref="TryMount"/> says why and the test is skipped with that reason.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private readonly TempFolder _temp;

    public string Path { get; }

    private SmallDisk(TempFolder temp, string path)
    {
        _temp = temp;
        Path = path;
    }

    public static SmallDisk? TryMount(long megabytes, out string reason)
    {
        var temp = new TempFolder();
        string path = temp.File("disk");
        Directory.CreateDirectory(path);
        var (code, error) = Command("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={megabytes}m"), "tmpfs", path);
        if (code == 0)
        {
            reason = "";
            return new SmallDisk(temp, path);
        }
        temp.Dispose();
        reason = $"cannot mount a {megabytes} MB tmpfs to fill (needs root or CAP_SYS_ADMIN): {error.Trim()}";
        return null;
    }

    private static (int Code, string Error) Command(string name, params string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    public void Dispose()
    {
        Command("umount", "-l", Path);
        _temp.Dispose();
    }
}
