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
public sealed class TrainingSession
{
    public const string LogFileName = "training_log.csv";
    public const string CurvesFileName = "training_curves.png";

    private readonly Trainer _trainer;
    private readonly IPatchBatchSource _source;
    private readonly EvalDataset? _validation;
    private readonly Device _device;

    public string CheckpointFolder { get; }
    public string LogPath => Path.Combine(CheckpointFolder, LogFileName);
    public string CurvesPath => Path.Combine(CheckpointFolder, CurvesFileName);
    public long IterationsPerEpoch => _source.BatchesPerEpoch(_trainer.Options.BatchSize);

    /// <summary>How many checkpoints to keep in the folder, newest written first (0: all).</summary>
    public int KeepCheckpoints { get; init; }

    /// <summary>Status lines (checkpoints written, validation results) for the console.</summary>
    public Action<string>? Message { get; set; }

    /// <summary>An older checkpoint deleted to keep <see cref="KeepCheckpoints"/>; without it, a line goes to <see cref="Message"/>.</summary>
    public Action<string>? CheckpointRemoved { get; set; }

    /// <summary>An epoch's steps are about to run from this position; the long is the epoch's number of steps.</summary>
    public Action<TrainingPosition, long>? EpochStarting { get; set; }

    /// <summary>Every step, after it is logged.</summary>
    public Action<TrainingProgress>? StepDone { get; set; }

    /// <summary>An epoch's steps are done; called before its validation.</summary>
    public Action<EpochSummary>? EpochTrained { get; set; }

    public TrainingSession(Trainer trainer, IPatchBatchSource source, string checkpointFolder, EvalDataset? validation, Device device)
    {
        _trainer = trainer;
        _source = source;
        _validation = validation;
        _device = device;
        CheckpointFolder = checkpointFolder;
    }

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
    /// finishes and a checkpoint is written). A fresh run (<paramref name="appendLog"/> false)
    /// starts a new log; a resumed one appends to it.
    /// </summary>
    public TrainingOutcome Run(bool appendLog, CancellationToken cancellationToken)
    {
        EnsureFolder();
        using var folderLock = FolderLock.Acquire(CheckpointFolder, "training run");
        TemporaryFiles.RemoveLeftoversIn(CheckpointFolder);
        var start = _trainer.Position;
        if (start.Epoch > _trainer.Options.Epochs)
        {
            Message?.Invoke($"Nothing to do: epoch {_trainer.Options.Epochs} is already done; ask for more epochs to train on");
            return TrainingOutcome.Completed;
        }
        var scales = _validation?.Scales ?? [];
        if (!appendLog) DeleteLog();
        else
        {
            CheckLogHeader(scales);
            if (TrainingLogRewind.CutBackTo(LogPath, start) is int dropped and > 0)
                Message?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"Training log cut back to epoch {start.Epoch} iteration {start.BatchesDone}: {dropped} rows written after that checkpoint dropped"));
        }
        using var log = TrainingLogWriter.Open(LogPath, scales);

        _trainer.EpochStarting = (position, total) => EpochStarting?.Invoke(position, total);
        _trainer.Progress = new SynchronousProgress<TrainingProgress>(p => { log.WriteStep(p); StepDone?.Invoke(p); });
        _trainer.EpochEnded = summary =>
        {
            EpochTrained?.Invoke(summary);
            if (Validate(summary.Net, $"Epoch[{summary.Epoch}] mean loss {summary.MeanLoss.ToString("F6", CultureInfo.InvariantCulture)}", cancellationToken) is { } psnr)
                log.WriteValidation(summary.Epoch, summary.Iterations, psnr, summary.ElapsedSeconds);
            SaveCurves();
        };
        _trainer.ValidationDue = point =>
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"Epoch[{point.Epoch}]({point.Iteration}/{IterationsPerEpoch}) at {point.ElapsedSeconds / 60:F1} min");
            if (Validate(point.Net, where, cancellationToken) is { } psnr)
                log.WriteValidation(point.Epoch, point.Iteration, psnr, point.ElapsedSeconds);
            SaveCurves();
        };
        _trainer.CheckpointReady = checkpoint =>
        {
            if (checkpoint.Position == start) return; // stopped before the first step: nothing new to keep
            string path = Path.Combine(CheckpointFolder, CheckpointFileName(checkpoint.Position));
            CheckpointFile.Save(path, checkpoint.State);
            Message?.Invoke($"Checkpoint saved to {path}");
            foreach (var old in CheckpointFiles.Prune(CheckpointFolder, KeepCheckpoints, path))
            {
                if (CheckpointRemoved is not null) CheckpointRemoved(old);
                else Message?.Invoke($"Removed {old} (only the {KeepCheckpoints} newest checkpoints are kept)");
            }
        };
        try
        {
            var outcome = _trainer.Run(cancellationToken);
            if (outcome == TrainingOutcome.Cancelled) SaveCurves();
            return outcome;
        }
        catch (TrainingDivergedException)
        {
            SaveCurves();
            throw;
        }
    }

    private IReadOnlyDictionary<int, double>? Validate(VdsrNet net, string where, CancellationToken cancellationToken)
    {
        if (_validation is null) return null;
        var evaluator = new Evaluator(new Upscaler(net, _device));
        EvalReport report;
        try
        {
            report = evaluator.Run(_validation, cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Message?.Invoke($"Validation at {where} skipped (stopping)");
            return null;
        }
        var psnr = report.Scales.ToDictionary(s => s.Scale, s => s.PsnrVdsr);
        var inv = CultureInfo.InvariantCulture;
        Message?.Invoke($"===> {where}, validation PSNR " +
            string.Join(", ", report.Scales.Select(s => string.Create(inv, $"x{s.Scale} {s.PsnrVdsr:F4} dB (bicubic {s.PsnrBicubic:F4})"))));
        return psnr;
    }

    private void SaveCurves()
    {
        if (File.Exists(LogPath)) TrainingCurves.Save(LogPath, CurvesPath, IterationsPerEpoch);
    }

    private void EnsureFolder()
    {
        try { Directory.CreateDirectory(CheckpointFolder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{CheckpointFolder}: cannot create the checkpoint folder ({e.Message})", e);
        }
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
        var lines = File.ReadAllLines(LogPath).Select((line, i) => i == 0 ? line + ",elapsed_s" : line.Length == 0 ? line : line + ",");
        AtomicFile.WriteAllLines(LogPath, lines.ToList());
    }

    /// <summary>A resumed run appends rows, so its columns must be those of the existing log (an older log gains the clock column).</summary>
    private void CheckLogHeader(IReadOnlyList<int> scales)
    {
        if (!File.Exists(LogPath)) return;
        string? first = File.ReadLines(LogPath).FirstOrDefault();
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
