using Vdsr.Core.Checkpoints;
using Vdsr.Core.Data;
using Vdsr.Core.Model;

namespace Vdsr.Core.Training;

/// <summary>How a run's <see cref="Trainer"/> begins: fresh with options, or resumed from a checkpoint's state.</summary>
public sealed record TrainingStart
{
    /// <summary>The network to train (already on its device); the caller owns it.</summary>
    public required VdsrNet Net { get; init; }

    /// <summary>The options of a fresh run; a resumed run takes its checkpoint's.</summary>
    public TrainingOptions? Options { get; init; }

    public StateDict? ResumeState { get; init; }

    /// <summary>The resumed checkpoint's name, for error messages.</summary>
    public string ResumeOrigin { get; init; } = "checkpoint";

    /// <summary>Changes a resumed run's stored options (e.g. more epochs), or refuses them by throwing.</summary>
    public Func<TrainingOptions, TrainingOptions>? AdjustResumed { get; init; }

    /// <summary>The network distillation learns from; the caller owns it.</summary>
    public VdsrNet? Teacher { get; init; }

    /// <summary>A fresh run's record of the weights it starts from (<see cref="ModelLineage"/>); a resumed run keeps its checkpoint's.</summary>
    public IReadOnlyDictionary<string, string> Lineage { get; init; } = new Dictionary<string, string>();

    public bool IsResume => ResumeState is not null;

    public static TrainingStart Fresh(VdsrNet net, TrainingOptions options, VdsrNet? teacher = null, IReadOnlyDictionary<string, string>? lineage = null) =>
        new() { Net = net, Options = options, Teacher = teacher, Lineage = lineage ?? new Dictionary<string, string>() };

    public static TrainingStart Resumed(VdsrNet net, StateDict state, string origin, Func<TrainingOptions, TrainingOptions>? adjust = null, VdsrNet? teacher = null) =>
        new() { Net = net, ResumeState = state, ResumeOrigin = origin, AdjustResumed = adjust, Teacher = teacher };

    public Trainer CreateTrainer(IPatchBatchSource source, TrainerHooks hooks) =>
        ResumeState is { } state
            ? Trainer.Resume(Net, source, state, ResumeOrigin, AdjustResumed, hooks, Teacher)
            : new Trainer(Net, source, Options ?? throw new InvalidOperationException("a fresh run needs its options"), hooks, Teacher)
            {
                Lineage = Lineage,
            };
}
