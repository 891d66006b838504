using System.Runtime.InteropServices;

namespace Vdsr.Core.IO;

/// <summary>
/// Whole-file reads with a bound: only a regular file is read (a folder, a device such as
/// /dev/zero or a FIFO would be read without end, or block), and never more than a cap.
/// </summary>
public static partial class WholeFile
{
    /// <summary>The most one byte array holds.</summary>
    public static long MaxBytes => Array.MaxLength;

    /// <summary>
    /// Throws a one-line <see cref="VdsrUserException"/> when <paramref name="path"/> is a folder or
    /// exists but is not a regular file; <paramref name="what"/> names what was expected ("checkpoint").
    /// A missing file passes: the caller's read names that.
    /// </summary>
    public static void RequireRegular(string path, string what)
    {
        if (Directory.Exists(path)) throw new VdsrUserException($"{path}: is a folder, not a {what}");
        if (KindOf(path) is { } kind && kind != "regular file")
            throw new VdsrUserException($"{path}: is a {kind}, not a {what} (only a regular file is read)");
    }

    /// <summary>
    /// The bytes of a regular file of at most <paramref name="maxBytes"/> bytes. I/O errors
    /// (missing, unreadable) are left to the caller, which words them.
    /// </summary>
    public static byte[] Read(string path, string what, long maxBytes = long.MaxValue)
    {
        RequireRegular(path, what);
        maxBytes = Math.Min(maxBytes, MaxBytes);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        long length = file.Length;
        if (length > maxBytes) throw TooLarge(path, length, maxBytes, what);
        var bytes = new byte[length];
        file.ReadExactly(bytes);
        if (file.ReadByte() >= 0) throw new VdsrUserException($"{path}: the file grew while it was read");
        return bytes;
    }

    private static VdsrUserException TooLarge(string path, long length, long maxBytes, string what) =>
        new($"{path}: {length} bytes, more than the {maxBytes} bytes a {what} may have here");

    /// <summary>What kind of file system entry the path is, in words; null when that cannot be told (or it does not exist).</summary>
    private static string? KindOf(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        int mode;
        try
        {
            mode = Mode(path);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        if (mode < 0) return null;
        return (mode & 0xF000) switch
        {
            0x8000 => "regular file",
            0x4000 => "folder",
            0x1000 => "FIFO (named pipe)",
            0x2000 => "character device",
            0x6000 => "block device",
            0xC000 => "socket",
            _ => "special file",
        };
    }

    /// <summary>The st_mode of stat(2) (symbolic links followed) through the runtime's own native shim; -1 on failure.</summary>
    private static unsafe int Mode(string path)
    {
        byte* status = stackalloc byte[512]; // the shim's FileStatus: int Flags, int Mode, then more fields
        return Stat(path, status) == 0 ? *(int*)(status + 4) : -1;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* output);
}
