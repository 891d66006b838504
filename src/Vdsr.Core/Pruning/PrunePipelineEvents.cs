using Vdsr.Core.Training;

namespace Vdsr.Core.Pruning;

/// <summary>What a <see cref="PrunePipeline"/> tells its caller while it runs.</summary>
public sealed record PrunePipelineEvents
{
    /// <summary>Status lines: each stage's result, the files written.</summary>
    public Action<string>? Message { get; init; }

    /// <summary>A long stage begins: its title, how many units it has, and their name.</summary>
    public Action<string, long, string>? StageStarted { get; init; }

    /// <summary>Units done so far, and the total (which may be learnt late).</summary>
    public Action<long, long>? StageProgress { get; init; }

    /// <summary>The stage begun last has ended.</summary>
    public Action? StageEnded { get; init; }

    /// <summary>The fine-tuning's own events.</summary>
    public TrainingSessionEvents Training { get; init; } = new();

    /// <summary>The fine-tuning's trainer is ready (e.g. to print its options).</summary>
    public Action<Trainer>? TrainingStarting { get; init; }
}
