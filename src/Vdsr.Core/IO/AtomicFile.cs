namespace Vdsr.Core.IO;

/// <summary>
/// Writes a file through a temporary file in the same folder, flushed to disk and renamed into place
/// when complete: a kill, a full disk or an error leaves the previous file (or none), never part of
/// one. Temporary files a killed writer left behind are removed on the next write of the same file.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        TemporaryFiles.RemoveLeftovers(full);
        string temp = TemporaryFiles.Beside(full, "tmp");
        try
        {
            // Readable too: HDF5 writers seek back and read what they wrote.
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new VdsrUserException($"{path}: cannot write ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var writer = new StreamWriter(s, leaveOpen: true); writer.Write(text); });

    public static void WriteAllLines(string path, IEnumerable<string> lines) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, leaveOpen: true);
            foreach (var line in lines) writer.WriteLine(line);
        });

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
