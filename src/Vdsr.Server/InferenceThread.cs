namespace Vdsr.Server;

/// <summary>
/// The one thread every job runs on. libtorch's OpenMP pool and the C allocator's arenas belong
/// to the thread that calls in: jobs run on thread-pool threads each grew a team of workers and an
/// arena of their own, and the server's resident memory rose by about 16 MiB a job (butterfly x2:
/// 317 MiB after the first upload, 1,113 MiB after 50). On one thread it stays flat, as in the
/// command-line tools, which run on their main thread.
/// </summary>
public sealed class InferenceThread : IDisposable
{
    private readonly System.Collections.Concurrent.BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public InferenceThread()
    {
        _thread = new Thread(() =>
        {
            foreach (var item in _work.GetConsumingEnumerable()) item();
        })
        { IsBackground = true, Name = "vdsr inference" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the thread, after the work queued before it.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    /// <summary>Lets the queued work finish, then ends the thread.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
        _work.Dispose();
    }
}
