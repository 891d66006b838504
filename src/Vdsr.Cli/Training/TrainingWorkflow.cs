using System.CommandLine;
using System.Globalization;
using Vdsr.Core;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Data;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Model;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Cli.Training;

/// <summary>
/// A training run as the tools drive it: the data and validation set from the flags, a fresh or
/// resumed trainer, a <see cref="TrainingSession"/> (checkpoints, log, curves) and the console
/// progress. vdsr-train and vdsr-prune's fine-tuning both run through here.
/// </summary>
public sealed class TrainingWorkflow
{
    private readonly TrainingFlags _flags;
    private readonly ParseResult _parse;

    private readonly int _keepCheckpoints;

    public TrainingWorkflow(TrainingFlags flags, ParseResult parse)
    {
        _flags = flags;
        _parse = parse;
        _keepCheckpoints = parse.GetValue(flags.KeepCheckpoints);
        if (_keepCheckpoints < 0) throw new VdsrUserException($"--keep-checkpoints must be 0 (keep all) or more (got {_keepCheckpoints})");
    }

    /// <summary>The --resume checkpoint ("" for none); `latest` is the checkpoint written last in --checkpoint-dir.</summary>
    public string ResumePath => _resumePath ??= _parse.GetValue(_flags.Resume) is "latest"
        ? CheckpointFiles.Latest(_parse.GetValue(_flags.CheckpointDir)!)
        : _parse.GetValue(_flags.Resume)!;

    private string? _resumePath;

    /// <summary>The checkpoint given with --resume, checked to be resumable; null without --resume.</summary>
    public StateDict? LoadResumeState() => ResumePath.Length > 0 ? TrainingSession.LoadResumable(ResumePath) : null;

    /// <summary>
    /// Opens the training patches (--data, --threads workers) and the validation set of the flags.
    /// The patch order is seeded by the run's seed: a resumed run's stored one, so that it continues
    /// exactly when --seed is not repeated.
    /// </summary>
    public TrainingData OpenData(TrainingOptions requested, StateDict? resumeState)
    {
        Console.WriteLine("===> Loading datasets");
        var source = HdfPatchDataset.Open(BundledPaths.Resolve(_parse.GetValue(_flags.Data)!, "training file"),
            new HdfPatchDatasetOptions { Seed = TrainingState.PatchSeed(requested, resumeState, ResumePath), Workers = _parse.GetValue(_flags.Threads) });
        try
        {
            var validation = ValidationFolder is string folder ? new EvalDataset(folder, ValidationScales) : null;
            return new TrainingData(source, validation);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains <paramref name="net"/> (already on <paramref name="device"/>) with the requested options,
    /// or continues <paramref name="resumeState"/> into it. --time-budget counts from the start of the process.
    /// </summary>
    /// <param name="pretrained">The weights a fresh run starts from, if any: their record (e.g. how they were pruned) goes into every checkpoint.</param>
    public TrainingOutcome Run(TrainingData data, VdsrNet net, TrainingOptions requested, StateDict? resumeState, StateDict? pretrained, Device device, CancellationToken token)
    {
        var request = new TrainingRunRequest
        {
            Start = resumeState is null
                ? TrainingStart.Fresh(net, requested, lineage: ModelLineage.Of(pretrained))
                : TrainingStart.Resumed(net, resumeState, ResumePath, AdjustResumed(requested)),
            CheckpointFolder = CheckpointFolder, KeepCheckpoints = _keepCheckpoints, Validation = data.Validation, Device = device,
            TimeLeft = TimeBudget is { } budget ? budget - SinceProcessStart() : null,
        };
        Console.WriteLine("===> Setting Optimizer");
        using var console = new ConsoleTrainingProgress(_keepCheckpoints);
        try
        {
            return TrainingRun.Run(request, data.Source, console.Events, Announce(resumeState is not null), token);
        }
        catch (TrainingDivergedException e) when (e.Suspects.Count > 0)
        {
            throw _flags.Explain(e);
        }
    }

    /// <summary>The validation images (--val-dataset), or null with --no-val.</summary>
    public string? ValidationFolder => _parse.GetValue(_flags.NoVal) ? null : BundledPaths.Resolve(_parse.GetValue(_flags.ValDataset)!, "validation dataset folder");

    public IReadOnlyList<int> ValidationScales => ScaleList.Parse(_parse.GetValue(_flags.ValScales), [2, 3, 4], "--val-scales");

    /// <summary>The --time-budget, or null.</summary>
    public TimeSpan? TimeBudget => _parse.GetValue(_flags.TimeBudget) is string text ? Training.TimeBudget.Parse(text) : null;

    public string CheckpointFolder => _parse.GetValue(_flags.CheckpointDir)!;

    public int KeepCheckpoints => _keepCheckpoints;

    /// <summary>A resumed run's stored options, checked against the flags given and with a new --nEpochs.</summary>
    public Func<TrainingOptions, TrainingOptions> AdjustResumed(TrainingOptions requested)
    {
        var given = _flags.Given(_parse);
        return stored => ResumedOptions.Reconcile(_flags, stored, requested, given, ResumePath);
    }

    /// <summary>Prints where a run starts and the settings it resolved to, before its first step.</summary>
    public Action<Trainer> Announce(bool resumed) => trainer =>
    {
        if (resumed) Console.WriteLine($"=> resuming {ResumePath} at epoch {trainer.Position.Epoch}, iteration {trainer.Position.BatchesDone}");
        Console.WriteLine(_flags.Describe(_parse, trainer.Options));
        Console.WriteLine($"=> convs in {trainer.Options.Precision.Name()}");
        Console.WriteLine("===> Training");
    };

    private static TimeSpan SinceProcessStart() => DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
}

/// <summary>The training patches and the validation set of one run.</summary>
public sealed record TrainingData(IPatchBatchSource Source, EvalDataset? Validation) : IDisposable
{
    public void Dispose() => Source.Dispose();
}
