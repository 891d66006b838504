using Vdsr.Core.IO;

namespace Vdsr.Server;

/// <summary>
/// The one folder the server writes to: a hidden folder in the system's temp folder, one subfolder
/// per job (the upload in in/, the results in out/), deleted when the server stops. Folders that a
/// killed server left behind are deleted at the next start (<see cref="TemporaryFiles"/>).
/// The page's finished results are kept for viewing and download, the latest <c>keptResults</c> of them.
/// </summary>
public sealed class WorkFolder : IDisposable
{
    private readonly object _lock = new();
    private readonly int _keptResults;
    private readonly LinkedList<string> _keptOrder = new();
    private readonly Dictionary<string, StoredResult> _kept = [];
    private bool _disposed;

    public WorkFolder(int keptResults)
    {
        _keptResults = keptResults >= 1 ? keptResults : throw new ArgumentOutOfRangeException(nameof(keptResults));
        string finalName = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vdsr-serve");
        TemporaryFiles.RemoveLeftovers(finalName);
        Path = TemporaryFiles.Beside(finalName, "tmp");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public JobFolder NewJob()
    {
        string id = Guid.NewGuid().ToString("N");
        string root = System.IO.Path.Combine(Path, id);
        var job = new JobFolder(id, root, System.IO.Path.Combine(root, "in"), System.IO.Path.Combine(root, "out"));
        Directory.CreateDirectory(job.InputFolder);
        return job;
    }

    /// <summary>Keeps a finished job's results, deleting the oldest beyond the limit.</summary>
    public void Keep(JobFolder job, JobResult result)
    {
        var evicted = new List<string>();
        lock (_lock)
        {
            if (_disposed) return;
            _kept[job.Id] = new StoredResult(job, result);
            _keptOrder.AddLast(job.Id);
            while (_keptOrder.Count > _keptResults)
            {
                evicted.Add(_keptOrder.First!.Value);
                _kept.Remove(_keptOrder.First.Value);
                _keptOrder.RemoveFirst();
            }
        }
        foreach (var id in evicted) DeleteFolder(System.IO.Path.Combine(Path, id));
    }

    public StoredResult? Find(string id)
    {
        lock (_lock) return _kept.GetValueOrDefault(id);
    }

    /// <summary>Deletes a job that is not kept (a failed or cancelled one, or one whose PNG was sent).</summary>
    public void Delete(JobFolder job) => DeleteFolder(job.Root);

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _kept.Clear();
            _keptOrder.Clear();
        }
        DeleteFolder(Path);
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still being read by a download; the folder goes with the server's at exit.
        }
    }
}

/// <summary>The folders of one job.</summary>
public sealed record JobFolder(string Id, string Root, string InputFolder, string OutputFolder);

/// <summary>A finished job's results, kept for the page.</summary>
public sealed record StoredResult(JobFolder Job, JobResult Result)
{
    /// <summary>The path of one of its pictures ("vdsr", "bicubic", "ground-truth"), or null.</summary>
    public string? PicturePath(string kind) => Result.Pictures.TryGetValue(kind, out var name) ? System.IO.Path.Combine(Job.OutputFolder, name) : null;
}
