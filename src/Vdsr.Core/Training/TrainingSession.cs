using System.Globalization;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Data;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Inference;
using Vdsr.Core.IO;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>
/// A training run with its files in one checkpoint folder: a project-format checkpoint per epoch
/// (<c>model_epoch_&lt;n&gt;.safetensors</c>) and on interruption (<see cref="CheckpointFileName"/>),
/// the CSV log of every step and validation (<see cref="LogFileName"/>), and the curves PNG
/// (<see cref="CurvesFileName"/>) rewritten after every epoch and when the run stops.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    public const string LogFileName = "training_log.csv";
    public const string CurvesFileName = "training_curves.png";

    private readonly IPatchBatchSource _source;
    private readonly EvalDataset? _validation;
    private readonly Device _device;
    private readonly TrainingSessionEvents _events;
    private readonly bool _resumed;

    /// <summary>The log, the start and the stop request of the run under way (set by <see cref="Run"/>).</summary>
    private TrainingLogWriter? _log;
    private TrainingPosition _start;
    private CancellationToken _stop;

    /// <summary>The session's trainer, made from its start with the session's hooks; disposed with it.</summary>
    public Trainer Trainer { get; }

    public string CheckpointFolder { get; }
    public string LogPath => Path.Combine(CheckpointFolder, LogFileName);
    public string CurvesPath => Path.Combine(CheckpointFolder, CurvesFileName);
    public long IterationsPerEpoch => _source.BatchesPerEpoch(Trainer.Options.BatchSize);

    /// <summary>How many checkpoints to keep in the folder, newest written first (0: all).</summary>
    public int KeepCheckpoints { get; init; }

    /// <param name="start">A fresh run's options or the checkpoint it resumes; a resumed run appends to the folder's log.</param>
    public TrainingSession(TrainingStart start, IPatchBatchSource source, string checkpointFolder, EvalDataset? validation, Device device,
        TrainingSessionEvents? events = null)
    {
        _source = source;
        _validation = validation;
        _device = device;
        _events = events ?? new TrainingSessionEvents();
        _resumed = start.IsResume;
        CheckpointFolder = checkpointFolder;
        Trainer = start.CreateTrainer(source, new TrainerHooks
        {
            EpochStarting = (position, total) => _events.EpochStarting?.Invoke(position, total),
            Progress = new SynchronousProgress<TrainingProgress>(p => { _log?.WriteStep(p); _events.StepDone?.Invoke(p); }),
            EpochEnded = OnEpochEnded,
            ValidationDue = OnValidationDue,
            CheckpointReady = OnCheckpointReady,
        });
    }

    public void Dispose() => Trainer.Dispose();

    /// <summary>
    /// The network a run starts from: a resumed checkpoint's architecture, the weights of a
    /// pretrained file (any format, architecture from the file), or the original network freshly
    /// initialised from <paramref name="seed"/>.
    /// </summary>
    public static VdsrNet BuildNetwork(StateDict? resume, string? resumeOrigin, StateDict? pretrained, string? pretrainedOrigin, long seed)
    {
        if (resume is not null)
            return Trainer.CreateNetwork(ModelStore.ArchitectureOf(resume, resumeOrigin ?? "checkpoint"), seed);
        if (pretrained is not null)
        {
            Runtime.TorchRuntime.EnsureInitialized();
            return ModelStore.ToNet(pretrained, pretrainedOrigin ?? "pretrained model");
        }
        return Trainer.CreateNetwork(VdsrArchitecture.Original, seed);
    }

    /// <summary>Reads a checkpoint to resume; it must carry a training position, not only weights.</summary>
    public static StateDict LoadResumable(string path)
    {
        if (!File.Exists(path)) throw new VdsrUserException($"{path}: checkpoint file not found");
        var state = CheckpointFile.Load(path);
        if (!TrainingState.IsResumable(state))
            throw new CheckpointFormatException($"{path}: not a resumable training checkpoint (it holds weights only; start a new run from it as pretrained weights)");
        var position = TrainingState.ReadPosition(state, path);
        bool started = position.Epoch > TrainingState.ReadOptions(state, path).StartEpoch || position.BatchesDone > 0;
        var options = TrainingState.ReadOptions(state, path);
        if (started && options.Optimizer == OptimizerKind.Sgd && options.Momentum > 0 && OptimizerTensors.Momentum(state).Count == 0)
            throw new CheckpointFormatException($"{path}: no momentum buffers (a weights-only export?), so the run cannot continue exactly; start a new run from it as pretrained weights");
        return state;
    }

    /// <summary>
    /// model_epoch_&lt;n&gt;.safetensors after n whole epochs, model_epoch_&lt;e&gt;_iter_&lt;i&gt;.safetensors
    /// when stopped after i steps of epoch e.
    /// </summary>
    public static string CheckpointFileName(TrainingPosition position) =>
        position.BatchesDone == 0
            ? string.Create(CultureInfo.InvariantCulture, $"model_epoch_{position.CompletedEpochs}.safetensors")
            : string.Create(CultureInfo.InvariantCulture, $"model_epoch_{position.Epoch}_iter_{position.BatchesDone}.safetensors");

    /// <summary>
    /// Trains to the end or until <paramref name="cancellationToken"/> fires (then the current step
    /// finishes and a checkpoint is written). A fresh run starts a new log; a resumed one appends to it.
    /// </summary>
    public TrainingOutcome Run(CancellationToken cancellationToken)
    {
        Folders.Create(CheckpointFolder, "checkpoint folder");
        using var folderLock = FolderLock.Acquire(CheckpointFolder, "training run");
        TemporaryFiles.RemoveLeftoversIn(CheckpointFolder);
        _start = Trainer.Position;
        _stop = cancellationToken;
        if (_start.Epoch > Trainer.Options.Epochs)
        {
            _events.Message?.Invoke($"Nothing to do: epoch {Trainer.Options.Epochs} is already done; ask for more epochs to train on");
            return TrainingOutcome.Completed;
        }
        var scales = _validation?.Scales ?? [];
        if (!_resumed) DeleteLog();
        else
        {
            CheckLogHeader(scales);
            if (TrainingLogRewind.CutBackTo(LogPath, _start) is int dropped and > 0)
                _events.Message?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"Training log cut back to epoch {_start.Epoch} iteration {_start.BatchesDone}: {dropped} rows written after that checkpoint dropped"));
        }
        using var log = TrainingLogWriter.Open(LogPath, scales);
        _log = log;
        try
        {
            var outcome = Trainer.Run(cancellationToken);
            if (outcome == TrainingOutcome.Cancelled) SaveCurves();
            return outcome;
        }
        catch (TrainingDivergedException)
        {
            SaveCurves();
            throw;
        }
        finally
        {
            _log = null;
        }
    }

    private void OnEpochEnded(EpochSummary summary)
    {
        _events.EpochTrained?.Invoke(summary);
        if (Validate(summary.Net, $"Epoch[{summary.Epoch}] mean loss {summary.MeanLoss.ToString("F6", CultureInfo.InvariantCulture)}") is { } psnr)
            _log?.WriteValidation(summary.Epoch, summary.Iterations, psnr, summary.ElapsedSeconds);
        SaveCurves();
    }

    private void OnValidationDue(ValidationPoint point)
    {
        string where = string.Create(CultureInfo.InvariantCulture, $"Epoch[{point.Epoch}]({point.Iteration}/{IterationsPerEpoch}) at {point.ElapsedSeconds / 60:F1} min");
        if (Validate(point.Net, where) is { } psnr)
            _log?.WriteValidation(point.Epoch, point.Iteration, psnr, point.ElapsedSeconds);
        SaveCurves();
    }

    private void OnCheckpointReady(TrainingCheckpoint checkpoint)
    {
        if (checkpoint.Position == _start) return; // stopped before the first step: nothing new to keep
        string path = Path.Combine(CheckpointFolder, CheckpointFileName(checkpoint.Position));
        CheckpointFile.Save(path, checkpoint.State);
        _events.Message?.Invoke($"Checkpoint saved to {path}");
        foreach (var old in CheckpointFiles.Prune(CheckpointFolder, KeepCheckpoints, path))
        {
            if (_events.CheckpointRemoved is { } removed) removed(old);
            else _events.Message?.Invoke($"Removed {old} (only the {KeepCheckpoints} newest checkpoints are kept)");
        }
    }

    private IReadOnlyDictionary<int, double>? Validate(VdsrNet net, string where)
    {
        if (_validation is null) return null;
        var evaluator = new Evaluator(new Upscaler(net, _device));
        EvalReport report;
        try
        {
            report = evaluator.Run(_validation, cancellationToken: _stop);
        }
        catch (OperationCanceledException)
        {
            _events.Message?.Invoke($"Validation at {where} skipped (stopping)");
            return null;
        }
        var psnr = report.Scales.ToDictionary(s => s.Scale, s => s.PsnrVdsr);
        var inv = CultureInfo.InvariantCulture;
        _events.Message?.Invoke($"===> {where}, validation PSNR " +
            string.Join(", ", report.Scales.Select(s => string.Create(inv, $"x{s.Scale} {s.PsnrVdsr:F4} dB (bicubic {s.PsnrBicubic:F4})"))));
        return psnr;
    }

    private void SaveCurves()
    {
        if (File.Exists(LogPath)) TrainingCurves.Save(LogPath, CurvesPath, IterationsPerEpoch);
    }

    private void DeleteLog()
    {
        try { File.Delete(LogPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{LogPath}: cannot replace the training log ({e.Message})", e);
        }
    }

    /// <summary>A log from before the training clock gets an empty elapsed_s column, so that the resumed run can append to it.</summary>
    private void AddClockColumn()
    {
        var lines = TrainingLogFile.ReadLines(LogPath).Select((line, i) => i == 0 ? line + ",elapsed_s" : line.Length == 0 ? line : line + ",");
        AtomicFile.WriteAllLines(LogPath, lines.ToList());
    }

    /// <summary>A resumed run appends rows, so its columns must be those of the existing log (an older log gains the clock column).</summary>
    private void CheckLogHeader(IReadOnlyList<int> scales)
    {
        if (!File.Exists(LogPath)) return;
        string? first = TrainingLogFile.ReadHeader(LogPath);
        string expected = string.Join(",", TrainingLogWriter.Header(scales));
        if (first is not null && first + ",elapsed_s" == expected)
        {
            AddClockColumn();
            return;
        }
        if (!string.IsNullOrEmpty(first) && first != expected)
            throw new VdsrUserException($"{LogPath}: the log has columns '{first}' but this run writes '{expected}' (validate on the same scales as before, or write to another checkpoint folder)");
    }
}
