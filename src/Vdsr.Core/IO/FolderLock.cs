using System.Runtime.InteropServices;

namespace Vdsr.Core.IO;

/// <summary>
/// An exclusive lock on a folder, held through a lock file with the operating system's file lock
/// (flock on Linux and macOS, a share-none open on Windows). The kernel releases it when the process
/// ends in any way, a kill included, so a dead run never leaves the folder locked.
/// </summary>
public sealed partial class FolderLock : IDisposable
{
    public const string FileName = ".vdsr.lock";

    private readonly FileStream _file;

    private FolderLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of <paramref name="folder"/> (created if missing) or refuses in one line naming <paramref name="holder"/>.</summary>
    public static FolderLock Acquire(string folder, string holder)
    {
        string path = Path.Combine(folder, FileName);
        FileStream file;
        try
        {
            Directory.CreateDirectory(folder);
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            throw Busy(folder, holder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{folder}: cannot lock the folder ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        // .NET takes the same lock for a share-none open unless DOTNET_SYSTEM_IO_DISABLEFILELOCKING is set; this one always holds.
        if (!OperatingSystem.IsWindows() && Flock(file.SafeFileHandle.DangerousGetHandle().ToInt32(), LockExclusive | LockNonBlocking) != 0)
        {
            file.Dispose();
            throw Busy(folder, holder);
        }
        return new FolderLock(file);
    }

    private static VdsrUserException Busy(string folder, string holder) =>
        new($"{folder}: another {holder} is using this folder (its lock {FileName} is held); wait for it to end or use another folder");

    // EWOULDBLOCK from .NET's own flock, or a sharing violation on Windows.
    private static bool IsHeldElsewhere(IOException e) => e is not FileNotFoundException and not DirectoryNotFoundException
        && (e.HResult == unchecked((int)0x80070020) || e.Message.Contains("being used by another process", StringComparison.Ordinal));

    private const int LockExclusive = 2, LockNonBlocking = 4;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    public void Dispose() => _file.Dispose();
}
