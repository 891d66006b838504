using Vdsr.Core.Model;
using Vdsr.Core.Pruning;

namespace Vdsr.Cli.Pruning;

/// <summary>What vdsr-prune was asked to do, read from its flags.</summary>
public sealed record PruneRequest
{
    public required string ModelPath { get; init; }
    public required PruningSettings Settings { get; init; }
    public required string OutputPath { get; init; }
    public bool Reconstruct { get; init; }
    public int ReconstructSamples { get; init; }
    public bool FineTune { get; init; }
    public double DistillWeight { get; init; }

    /// <summary>With distillation: the file of the teacher's outputs for the training patches, made once and reused; null runs the teacher every step.</summary>
    public string? TeacherCachePath { get; init; }

    /// <summary>The report's evaluation set (a folder); null skips the quality columns.</summary>
    public string? Dataset { get; init; }
    public IReadOnlyList<int> Scales { get; init; } = [2, 3, 4];
    public int TimingSize { get; init; } = 256;
    public int TimingRepeats { get; init; } = 3;
    public string? JsonPath { get; init; }

    /// <summary>The precision of the report's evaluations and timings (fine-tuning is not affected).</summary>
    public ConvPrecision Precision { get; init; } = ConvPrecision.Fp32;

    /// <summary>How the hidden convs of the report's evaluations and timings run.</summary>
    public ConvAlgorithm Algorithm { get; init; } = ConvAlgorithm.Direct;
}
