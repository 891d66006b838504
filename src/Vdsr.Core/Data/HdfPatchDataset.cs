using System.Collections.Concurrent;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;
using Vdsr.Core.IO;

namespace Vdsr.Core.Data;

/// <summary>
/// Training batches read from an HDF5 file with datasets "data" (inputs) and "label", both
/// (N, 1, P, P) float32: the files <see cref="TrainingSetBuilder"/> writes and the original's
/// train.h5 (chunked, gzip-compressed or plain). Patches are served as h5py sees them (the
/// original trainer feeds them so). The file is never loaded whole: each epoch reads shuffled
/// blocks (the file's chunks) by hyperslab, shuffles within windows of blocks (see
/// <see cref="HdfPatchDatasetOptions.WindowPatches"/>), and background workers read ahead.
/// </summary>
public sealed class HdfPatchDataset : IPatchBatchSource
{
    private readonly HdfPatchDatasetOptions _options;

    public string FilePath { get; }
    public int PatchSize { get; }
    public long PatchCount { get; }

    /// <summary>Patches read by one hyperslab: the file's chunk length along N when it is reasonable, else 64.</summary>
    public int BlockPatches { get; }

    private HdfPatchDataset(string path, HdfPatchDatasetOptions options, int patchSize, long patchCount, int blockPatches)
    {
        FilePath = path;
        _options = options;
        PatchSize = patchSize;
        PatchCount = patchCount;
        BlockPatches = blockPatches;
    }

    /// <summary>Opens and checks a training file; a missing or malformed file is a <see cref="VdsrUserException"/>.</summary>
    public static HdfPatchDataset Open(string path, HdfPatchDatasetOptions? options = null)
    {
        options ??= new HdfPatchDatasetOptions();
        if (options.Workers < 0) throw new ArgumentOutOfRangeException(nameof(options), "Workers must be >= 0");
        if (options.WindowPatches < 1 || options.PrefetchWindows < 1) throw new ArgumentOutOfRangeException(nameof(options), "WindowPatches and PrefetchWindows must be positive");
        IO.WholeFile.RequireRegular(path, "training file");
        if (!File.Exists(path)) throw new VdsrUserException($"{path}: file not found");
        HdfMetadataBounds.Check(path);
        using var file = OpenFile(path);
        HdfPatchDataset dataset;
        try
        {
            dataset = Inspect(file, path, options, new FileInfo(path).Length);
        }
        catch (Exception e) when (e is not VdsrUserException)
        {
            // PureHDF reports damaged metadata (a bad signature, an address past the end) as plain
            // Exception and others; it also allocates a metadata block at the size the file states
            // before checking it, so a damaged size can fail as one huge allocation (OutOfMemoryException).
            throw Damaged(path, e);
        }
        if (options.TeacherOutputsPath is string teacher)
            TeacherOutputFile.Check(teacher, dataset.PatchCount, dataset.PatchSize);
        return dataset;
    }

    /// <summary>Patches are 41x41 in the original; one far larger is not a training file.</summary>
    private const long MaxPatchArea = 1 << 20;

    private static HdfPatchDataset Inspect(NativeFile file, string path, HdfPatchDatasetOptions options, long fileLength)
    {
        var data = RequireDataset(file, path, TrainingSetLayout.InputDataset);
        var label = RequireDataset(file, path, TrainingSetLayout.LabelDataset);
        var dims = data.Space.Dimensions;
        var labelDims = label.Space.Dimensions;
        if (!dims.SequenceEqual(labelDims))
            throw new VdsrUserException($"{path}: 'data' is {Shape(dims)} but 'label' is {Shape(labelDims)}");
        if (dims[0] == 0)
            throw new VdsrUserException($"{path}: the datasets hold no patches");
        if ((double)dims[2] * dims[3] > MaxPatchArea)
            throw new VdsrUserException($"{path}: patches of {dims[2]}x{dims[3]} are larger than a training file holds (at most {MaxPatchArea} pixels)");
        // The sizes come from the file: refused here when the file is too small to hold them, before buffers are sized by them.
        double claimed = 2.0 * sizeof(float) * dims[0] * dims[2] * dims[3];
        if (claimed > (double)Deflate.MaxExpansion * fileLength) // no dataset holds more than deflate can expand the file to
            throw new VdsrUserException($"{path}: 'data' and 'label' claim {dims[0]} patches of {dims[2]}x{dims[3]}, more than a {fileLength}-byte file can hold even compressed");
        ulong chunkLength = data.Layout.Class == H5DataLayoutClass.Chunked ? data.Layout.Chunks[0] : 0;
        int block = chunkLength is >= 16 and <= 4096 ? (int)chunkLength : 64;
        return new HdfPatchDataset(path, options, checked((int)dims[2]), (long)dims[0], (int)Math.Min(block, (long)dims[0]));
    }

    private static VdsrUserException Damaged(string path, Exception e) =>
        new($"{path}: damaged HDF5 file ({e.GetType().Name}: {ErrorText.OneLine(e.Message.Split('\n')[0].Trim())})", e);

    public IEnumerable<PatchBatch> Epoch(int epoch, int batchSize, long skipBatches = 0, CancellationToken cancellationToken = default)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        if (skipBatches < 0) throw new ArgumentOutOfRangeException(nameof(skipBatches));
        return EpochIterator(epoch, batchSize, skipBatches, cancellationToken);
    }

    internal EpochPlan Plan(int epoch) => new(_options.Seed, epoch, PatchCount, BlockPatches, _options.WindowPatches);

    private IEnumerable<PatchBatch> EpochIterator(int epoch, int batchSize, long skipBatches, CancellationToken cancellationToken)
    {
        var plan = Plan(epoch);
        long skipped = Math.Min(PatchCount, skipBatches * batchSize);
        long skip = skipped;
        int firstWindow = 0;
        while (firstWindow < plan.WindowCount && plan.WindowSize(firstWindow) <= skip)
            skip -= plan.WindowSize(firstWindow++);
        if (firstWindow == plan.WindowCount) yield break;

        using var windows = new WindowPipeline(this, plan, firstWindow, cancellationToken);
        int area = PatchSize * PatchSize;
        var current = windows.Next();
        int offset = (int)skip;
        long remaining = PatchCount - skipped;
        while (remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = (int)Math.Min(batchSize, remaining);
            var inputs = new float[n * area];
            var labels = new float[n * area];
            var teachers = current.Teachers is null ? null : new float[n * area];
            int filled = 0;
            while (filled < n)
            {
                if (offset == current.Count) { current = windows.Next(); offset = 0; }
                int take = Math.Min(n - filled, current.Count - offset);
                current.Inputs.AsSpan(offset * area, take * area).CopyTo(inputs.AsSpan(filled * area));
                current.Labels.AsSpan(offset * area, take * area).CopyTo(labels.AsSpan(filled * area));
                current.Teachers?.AsSpan(offset * area, take * area).CopyTo(teachers.AsSpan(filled * area));
                filled += take;
                offset += take;
            }
            remaining -= n;
            yield return new PatchBatch(inputs, labels, n, PatchSize, teachers);
        }
    }

    private sealed record Window(float[] Inputs, float[] Labels, float[]? Teachers, int Count);

    /// <summary>Reads one window's blocks by hyperslab and puts each patch at its shuffled slot.</summary>
    private Window ReadWindow(Reader reader, EpochPlan plan, int window)
    {
        int area = PatchSize * PatchSize;
        var blocks = plan.Blocks(window);
        var slots = plan.Slots(window);
        var inputs = new float[slots.Length * area];
        var labels = new float[slots.Length * area];
        var teachers = reader.HasTeacherOutputs ? new float[slots.Length * area] : null;
        int j = 0;
        foreach (var (start, count) in blocks)
        {
            var (blockInputs, blockLabels, blockTeachers) = reader.Read(start, count);
            for (int i = 0; i < count; i++, j++)
            {
                blockInputs.AsSpan(i * area, area).CopyTo(inputs.AsSpan(slots[j] * area));
                blockLabels.AsSpan(i * area, area).CopyTo(labels.AsSpan(slots[j] * area));
                blockTeachers?.AsSpan(i * area, area).CopyTo(teachers.AsSpan(slots[j] * area));
            }
        }
        return new Window(inputs, labels, teachers, slots.Length);
    }

    /// <summary>One open handle on the file, and on the teacher outputs' (PureHDF handles are not shared between threads).</summary>
    private sealed class Reader : IDisposable
    {
        private readonly NativeFile _file;
        private readonly IH5Dataset _data, _label;
        private readonly TeacherOutputFile.Reader? _teacher;
        private readonly int _patchSize;
        private readonly float[] _blockInputs, _blockLabels;
        private readonly float[]? _blockTeachers;
        private readonly string _path;

        public Reader(string path, string? teacherPath, int patchSize, int blockPatches)
        {
            _path = path;
            _file = OpenFile(path);
            try
            {
                _data = _file.Dataset(TrainingSetLayout.InputDataset);
                _label = _file.Dataset(TrainingSetLayout.LabelDataset);
            }
            catch (Exception e)
            {
                _file.Dispose();
                throw Damaged(path, e);
            }
            _patchSize = patchSize;
            _blockInputs = new float[blockPatches * patchSize * patchSize];
            _blockLabels = new float[_blockInputs.Length];
            if (teacherPath is null) return;
            try
            {
                _teacher = new TeacherOutputFile.Reader(teacherPath);
            }
            catch
            {
                _file.Dispose();
                throw;
            }
            _blockTeachers = new float[_blockInputs.Length];
        }

        public bool HasTeacherOutputs => _teacher is not null;

        public (float[] Inputs, float[] Labels, float[]? Teachers) Read(long start, int count)
        {
            int length = count * _patchSize * _patchSize;
            bool whole = length == _blockInputs.Length;
            var inputs = whole ? _blockInputs : new float[length];
            var labels = whole ? _blockLabels : new float[length];
            var teachers = _teacher is null ? null : whole ? _blockTeachers! : new float[length];
            var selection = Selection(start, count);
            try
            {
                _data.Read(inputs, selection, memoryDims: [(ulong)length]);
                _label.Read(labels, selection, memoryDims: [(ulong)length]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new VdsrUserException($"{_path}: cannot read patches {start}..{start + count - 1} ({ErrorText.OneLine(e.Message)})", e);
            }
            if (teachers is not null) _teacher!.Read(teachers, Selection(start, count));
            return (inputs, labels, teachers);
        }

        private HyperslabSelection Selection(long start, int count) =>
            new(4, [(ulong)start, 0, 0, 0], [(ulong)count, 1, (ulong)_patchSize, (ulong)_patchSize]);

        public void Dispose()
        {
            _teacher?.Dispose();
            _file.Dispose();
        }
    }

    /// <summary>
    /// Delivers the windows of an epoch in order. With W workers, worker t reads windows
    /// t, t+W, ... into its own bounded queue, so reading runs ahead of training by a fixed amount.
    /// </summary>
    private sealed class WindowPipeline : IDisposable
    {
        private readonly HdfPatchDataset _owner;
        private readonly EpochPlan _plan;
        private readonly CancellationTokenSource _cancel;
        private readonly BlockingCollection<Func<Window>>[] _queues;
        private readonly Thread[] _threads;
        private readonly Reader? _inlineReader;
        private readonly int _firstWindow;
        private int _next;

        public WindowPipeline(HdfPatchDataset owner, EpochPlan plan, int firstWindow, CancellationToken cancellationToken)
        {
            _owner = owner;
            _plan = plan;
            _next = _firstWindow = firstWindow;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            int workers = Math.Min(owner._options.Workers, plan.WindowCount - firstWindow);
            _queues = new BlockingCollection<Func<Window>>[workers];
            _threads = new Thread[workers];
            if (workers == 0)
            {
                _inlineReader = new Reader(owner.FilePath, owner._options.TeacherOutputsPath, owner.PatchSize, owner.BlockPatches);
                return;
            }
            for (int t = 0; t < workers; t++)
            {
                _queues[t] = new BlockingCollection<Func<Window>>(owner._options.PrefetchWindows);
                int worker = t;
                _threads[t] = new Thread(() => Work(worker, firstWindow + worker, workers)) { IsBackground = true, Name = $"patch reader {t}" };
                _threads[t].Start();
            }
        }

        public Window Next()
        {
            _cancel.Token.ThrowIfCancellationRequested();
            if (_next >= _plan.WindowCount) throw new InvalidOperationException("the epoch has no more windows");
            int window = _next++;
            if (_inlineReader is not null)
                return _owner.ReadWindow(_inlineReader, _plan, window);
            var queue = _queues[(window - _firstWindow) % _queues.Length];
            return queue.Take(_cancel.Token)();
        }

        private void Work(int worker, int firstWindow, int workers)
        {
            var queue = _queues[worker];
            try
            {
                using var reader = new Reader(_owner.FilePath, _owner._options.TeacherOutputsPath, _owner.PatchSize, _owner.BlockPatches);
                for (int w = firstWindow; w < _plan.WindowCount; w += workers)
                {
                    var window = _owner.ReadWindow(reader, _plan, w);
                    queue.Add(() => window, _cancel.Token);
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception e)
            {
                // The consumer rethrows it when it reaches this worker's next window.
                try { queue.Add(() => throw e, _cancel.Token); } catch (OperationCanceledException) { }
            }
        }

        public void Dispose()
        {
            _cancel.Cancel();
            foreach (var thread in _threads) thread.Join();
            foreach (var queue in _queues) queue.Dispose();
            _inlineReader?.Dispose();
            _cancel.Dispose();
        }
    }

    internal static NativeFile OpenFile(string path)
    {
        try { return H5File.OpenRead(path); }
        catch (Exception e)
        {
            throw new VdsrUserException($"{path}: not a readable HDF5 file ({ErrorText.OneLine(e.Message)})", e);
        }
    }

    private static IH5Dataset RequireDataset(NativeFile file, string path, string name)
    {
        if (!file.LinkExists(name))
            throw new VdsrUserException($"{path}: no dataset '{name}' (a training file needs 'data' and 'label')");
        var dataset = file.Dataset(name);
        var dims = dataset.Space.Dimensions;
        if (dims.Length != 4 || dims[1] != 1 || dims[2] != dims[3] || dims[2] == 0)
            throw new VdsrUserException($"{path}: '{name}' is {Shape(dims)}, expected (N, 1, P, P)");
        if (dataset.Type.Class != H5DataTypeClass.FloatingPoint || dataset.Type.Size != 4)
            throw new VdsrUserException($"{path}: '{name}' is not float32");
        return dataset;
    }

    private static string Shape(ulong[] dims) => "(" + string.Join(", ", dims) + ")";

    public void Dispose() { }
}
