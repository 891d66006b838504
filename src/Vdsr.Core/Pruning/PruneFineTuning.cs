using Vdsr.Core.Checkpoints;
using Vdsr.Core.Training;

namespace Vdsr.Core.Pruning;

/// <summary>How a <see cref="PrunePipeline"/> fine-tunes the pruned network: a training run, fresh or resumed.</summary>
public sealed record PruneFineTuning
{
    /// <summary>The options of a fresh run (a resumed one takes its checkpoint's); distillation when <see cref="TrainingOptions.DistillWeight"/> &gt; 0.</summary>
    public required TrainingOptions Options { get; init; }

    /// <summary>A checkpoint of an earlier fine-tuning to continue, instead of pruning again.</summary>
    public StateDict? ResumeState { get; init; }
    public string ResumePath { get; init; } = "";

    /// <summary>Changes a resumed run's stored options (e.g. more epochs), or refuses them by throwing.</summary>
    public Func<TrainingOptions, TrainingOptions>? AdjustResumed { get; init; }

    public required string CheckpointFolder { get; init; }

    /// <summary>Keep only this many newest checkpoints (0: all).</summary>
    public int KeepCheckpoints { get; init; }

    /// <summary>Validation images after every epoch (a folder); null: none.</summary>
    public string? ValidationFolder { get; init; }
    public IReadOnlyList<int> ValidationScales { get; init; } = [2, 3, 4];

    /// <summary>Threads reading patches (0: on the training thread).</summary>
    public int Workers { get; init; }

    /// <summary>With distillation: the unpruned model's outputs for every training patch, made once and reused; null runs the teacher every step.</summary>
    public string? TeacherCachePath { get; init; }
}
