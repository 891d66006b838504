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
    /// <param name="teacherOutputsPath">A file of cached teacher outputs to serve with the batches (distillation), or null.</param>
    public TrainingData OpenData(TrainingOptions requested, StateDict? resumeState, string? teacherOutputsPath = null)
    {
        Console.WriteLine("===> Loading datasets");
        long seed = resumeState is null ? requested.Seed : TrainingState.ReadOptions(resumeState, ResumePath).Seed;
        var source = HdfPatchDataset.Open(BundledPaths.Resolve(_parse.GetValue(_flags.Data)!, "training file"),
            new HdfPatchDatasetOptions { Seed = seed, Workers = _parse.GetValue(_flags.Threads), TeacherOutputsPath = teacherOutputsPath });
        try
        {
            var validation = _parse.GetValue(_flags.NoVal) ? null
                : new EvalDataset(BundledPaths.Resolve(_parse.GetValue(_flags.ValDataset)!, "validation dataset folder"), ScaleList.Parse(_parse.GetValue(_flags.ValScales), [2, 3, 4], "--val-scales"));
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
    /// or continues <paramref name="resumeState"/> into it. With a teacher, the targets are blended
    /// with its outputs by the options' distillation weight. --time-budget counts from the start of
    /// the process unless <paramref name="budgetSpent"/> says how much of it is already used.
    /// </summary>
    public TrainingOutcome Run(TrainingData data, VdsrNet net, TrainingOptions requested, StateDict? resumeState, Device device,
        CancellationToken token, TimeSpan? budgetSpent = null, VdsrNet? teacher = null)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (_parse.GetValue(_flags.TimeBudget) is string budgetText)
        {
            var left = TimeBudget.Parse(budgetText) - (budgetSpent ?? SinceProcessStart());
            budget.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            // A cosine over epochs that the budget ends long before would stop at a high lr: decay over what the budget leaves.
            if (resumeState is null && requested.LearningRateDecay == LearningRateDecay.Cosine && requested.DecayMinutes == 0 && left > TimeSpan.Zero)
            {
                requested = requested with { DecayMinutes = Math.Round(left.TotalMinutes, 2) };
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"=> cosine lr decay over the {requested.DecayMinutes:F2} minutes the time budget leaves"));
            }
        }

        var (source, validation) = (data.Source, data.Validation);
        Console.WriteLine("===> Setting Optimizer");
        var given = _flags.Given(_parse);
        using var trainer = resumeState is null
            ? new Trainer(net, source, requested)
            : Trainer.Resume(net, source, resumeState, ResumePath, stored => ResumedOptions.Reconcile(_flags, stored, requested, given, ResumePath));
        trainer.Teacher = teacher;
        if (resumeState is not null)
            Console.WriteLine($"=> resuming {ResumePath} at epoch {trainer.Position.Epoch}, iteration {trainer.Position.BatchesDone}");

        Console.WriteLine(_flags.Describe(_parse, trainer.Options));
        Console.WriteLine($"=> convs in {trainer.Options.Precision.Name()}");
        Console.WriteLine("===> Training");
        var session = new TrainingSession(trainer, source, _parse.GetValue(_flags.CheckpointDir)!, validation, device) { KeepCheckpoints = _keepCheckpoints };
        ProgressBar? bar = null;
        long barStart = 0;
        session.EpochStarting = (position, total) =>
        {
            barStart = position.BatchesDone;
            bar = new ProgressBar($"Epoch {position.Epoch}", total - barStart, "step");
        };
        session.StepDone = p =>
        {
            bar?.Report(p.Iteration - barStart, string.Create(CultureInfo.InvariantCulture, $"loss {p.Loss:G5} {p.PatchesPerSecond:F1} patches/s"));
            if (p.IsOriginalLogIteration) WriteLine(p.OriginalLogLine);
        };
        session.EpochTrained = _ =>
        {
            bar?.Complete();
            bar?.Dispose();
            bar = null;
        };
        session.Message = WriteLine;
        session.CheckpointRemoved = old => WriteLine($"Removed {old} (--keep-checkpoints {_keepCheckpoints})");
        try
        {
            var outcome = session.Run(appendLog: resumeState is not null, budget.Token);
            if (outcome == TrainingOutcome.Cancelled)
                Console.WriteLine(token.IsCancellationRequested ? "===> Stopped on request" : "===> Stopped: the time budget is spent");
            return outcome;
        }
        catch (TrainingDivergedException e) when (e.Suspects.Count > 0)
        {
            throw new VdsrUserException($"{e.Message} ({string.Join(", ", e.Suspects.Select(_flags.FlagOf))})", e);
        }
        finally
        {
            bar?.Dispose();
        }

        void WriteLine(string line)
        {
            if (bar is not null && !Console.IsErrorRedirected) Console.Error.Write("\r\u001b[K"); // clear the redrawn bar first
            Console.WriteLine(line);
        }
    }

    private static TimeSpan SinceProcessStart() => DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
}

/// <summary>The training patches and the validation set of one run.</summary>
public sealed record TrainingData(IPatchBatchSource Source, EvalDataset? Validation) : IDisposable
{
    public void Dispose() => Source.Dispose();
}
