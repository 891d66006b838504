using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Pruning;

/// <summary>Every input of a <see cref="PrunePipeline"/> run: paths already resolved, options already checked.</summary>
public sealed record PruneRequest
{
    /// <summary>The checkpoint to prune (any format this toolkit reads).</summary>
    public required string ModelPath { get; init; }
    public required PruningSettings Settings { get; init; }

    /// <summary>The pruned model, rewritten after each recovery stage.</summary>
    public required string OutputPath { get; init; }
    public required Device Device { get; init; }

    /// <summary>Refit each pruned layer by least squares to the unpruned network's outputs on patches of <see cref="TrainingDataPath"/>.</summary>
    public bool Reconstruct { get; init; }
    public int ReconstructSamples { get; init; } = 2048;

    /// <summary>The training patches (HDF5) that reconstruction samples and fine-tuning trains on.</summary>
    public string? TrainingDataPath { get; init; }

    /// <summary>Orders the patches reconstruction samples (the training seed).</summary>
    public long Seed { get; init; }

    /// <summary>Fine-tuning after pruning (and reconstruction); null: none.</summary>
    public PruneFineTuning? FineTune { get; init; }

    /// <summary>Recovery (reconstruction, caching the teacher's outputs, fine-tuning) stops after this long; evaluations do not count.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>The report's evaluation set (a folder); null leaves the quality columns out.</summary>
    public string? DatasetFolder { get; init; }
    public IReadOnlyList<int> Scales { get; init; } = [2, 3, 4];

    public int TimingSize { get; init; } = 256;

    /// <summary>Forward timing of original vs pruned: best of this many (0: none).</summary>
    public int TimingRepeats { get; init; } = 3;

    /// <summary>Also write the report as JSON here.</summary>
    public string? JsonPath { get; init; }

    /// <summary>How the report's evaluations and timings run the convs (fine-tuning is not affected).</summary>
    public ConvPlan ReportPlan { get; init; }
}
