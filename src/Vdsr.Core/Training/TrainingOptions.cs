using System.Globalization;
using Vdsr.Core.Model;

namespace Vdsr.Core.Training;

/// <summary>
/// The options of the original main_vdsr.py (same defaults) plus what this port adds: the seed, the
/// clipping mode, the loss reduction, the optimizer and its warm-up, distillation, and how often to
/// validate and checkpoint.
/// </summary>
public sealed record TrainingOptions
{
    public int BatchSize { get; init; } = 128;

    /// <summary>Last epoch to run, inclusive.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>First epoch of a fresh run.</summary>
    public int StartEpoch { get; init; } = 1;

    /// <summary>Initial learning rate.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Epochs between each tenfold learning-rate decay.</summary>
    public int Step { get; init; } = 10;

    /// <summary>Gradient clipping threshold.</summary>
    public double Clip { get; init; } = 0.4;

    public ClipMode ClipMode { get; init; } = ClipMode.Norm;

    /// <summary>How the squared errors become the loss (and so the scale of the gradients that are clipped).</summary>
    public LossReduction LossReduction { get; init; } = LossReduction.Sum;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Step decay (the original) or a cosine over the run.</summary>
    public LearningRateDecay LearningRateDecay { get; init; } = LearningRateDecay.Step;

    /// <summary>The cosine decay runs over this many minutes of training clock instead of the run's steps (0: over the steps).</summary>
    public double DecayMinutes { get; init; }

    /// <summary>The lr rises linearly from lr/n to lr over the first n steps of the run (0: no warm-up).</summary>
    public int WarmupSteps { get; init; }

    /// <summary>The recipe the options came from (original, paper, fast), or null when none was named.</summary>
    public string? Recipe { get; init; }

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Seeds the weight initialisation and the order of the patches.</summary>
    public long Seed { get; init; } = 0;

    /// <summary>
    /// Knowledge distillation: the share of a teacher network's output in the training target,
    /// target = (1 - w) * label + w * teacher(input). 0 trains on the labels alone.
    /// </summary>
    public double DistillWeight { get; init; }

    /// <summary>
    /// The format of the convs during training steps (bf16: hidden convs in bfloat16; the master
    /// weights, the loss, the gradients' clipping and the update stay float32).
    /// </summary>
    public ConvPrecision Precision { get; init; } = ConvPrecision.Fp32;

    /// <summary>A checkpoint is offered after every this many epochs (the last epoch always gets one).</summary>
    public int CheckpointEveryEpochs { get; init; } = 1;

    /// <summary>Also a checkpoint after every this many steps of the run (0: only per epoch).</summary>
    public long CheckpointEverySteps { get; init; }

    /// <summary>Also a checkpoint each time the training clock passes a multiple of this many minutes (0: never).</summary>
    public double CheckpointEveryMinutes { get; init; }

    /// <summary>Also a validation after every this many steps of the run (0: only per epoch).</summary>
    public long ValEverySteps { get; init; }

    /// <summary>Also a validation each time the training clock passes a multiple of this many minutes (0: never).</summary>
    public double ValEveryMinutes { get; init; }

    /// <summary>Throws <see cref="TrainingOptionException"/> naming the first bad option (by property name).</summary>
    public void Validate()
    {
        if (BatchSize < 1) throw Bad(nameof(BatchSize), BatchSize, "must be at least 1");
        if (StartEpoch < 1) throw Bad(nameof(StartEpoch), StartEpoch, "must be at least 1");
        if (Epochs < StartEpoch) throw Bad(nameof(Epochs), Epochs, "must be at least", (nameof(StartEpoch), Text(StartEpoch)));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw Bad(nameof(LearningRate), LearningRate, "must be a positive number");
        if (Step < 1) throw Bad(nameof(Step), Step, "must be at least 1");
        if (!(Clip > 0) || double.IsInfinity(Clip)) throw Bad(nameof(Clip), Clip, "must be a positive number");
        if (!(Momentum >= 0 && Momentum < 1)) throw Bad(nameof(Momentum), Momentum, "must be in [0, 1)");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw Bad(nameof(WeightDecay), WeightDecay, "must be zero or positive");
        if (!(DistillWeight >= 0 && DistillWeight <= 1)) throw Bad(nameof(DistillWeight), DistillWeight, "must be in [0, 1]");
        if (CheckpointEveryEpochs < 1) throw Bad(nameof(CheckpointEveryEpochs), CheckpointEveryEpochs, "must be at least 1");
        if (!(DecayMinutes >= 0) || double.IsInfinity(DecayMinutes)) throw Bad(nameof(DecayMinutes), DecayMinutes, "must be zero (over the steps) or a positive number");
        if (WarmupSteps < 0) throw Bad(nameof(WarmupSteps), WarmupSteps, "must be zero or more");
        if (CheckpointEverySteps < 0) throw Bad(nameof(CheckpointEverySteps), CheckpointEverySteps, "must be zero (off) or more");
        if (ValEverySteps < 0) throw Bad(nameof(ValEverySteps), ValEverySteps, "must be zero (off) or more");
        if (!(CheckpointEveryMinutes >= 0) || double.IsInfinity(CheckpointEveryMinutes)) throw Bad(nameof(CheckpointEveryMinutes), CheckpointEveryMinutes, "must be zero (off) or a positive number");
        if (!(ValEveryMinutes >= 0) || double.IsInfinity(ValEveryMinutes)) throw Bad(nameof(ValEveryMinutes), ValEveryMinutes, "must be zero (off) or a positive number");
    }

    private static TrainingOptionException Bad(string option, object value, string problem, (string, string)? bound = null) =>
        new(option, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", problem, bound);

    /// <summary>Writes every option as an invariant, round-trippable string.</summary>
    public void WriteTo(IDictionary<string, string> metadata)
    {
        foreach (var field in TrainingOptionTable.Fields)
            if (field.Format(this) is string text) metadata[TrainingOptionTable.Prefix + field.Key] = text;
    }

    /// <summary>
    /// Reads what <see cref="WriteTo"/> wrote; <paramref name="source"/> names the checkpoint in errors.
    /// An option added after the first version is absent from older checkpoints and reads as its default.
    /// </summary>
    public static TrainingOptions ReadFrom(IReadOnlyDictionary<string, string> metadata, string source)
    {
        var options = new TrainingOptions();
        foreach (var field in TrainingOptionTable.Fields)
        {
            string? key = new[] { field.Key, field.FormerKey }.FirstOrDefault(k => k is not null && metadata.ContainsKey(TrainingOptionTable.Prefix + k));
            if (key is null)
            {
                if (field.InEveryCheckpoint)
                    throw new CheckpointFormatException($"{source}: no training option '{field.Key}' (not a training checkpoint?)");
                continue;
            }
            string text = metadata[TrainingOptionTable.Prefix + key];
            options = field.Parse(options, text)
                      ?? throw new CheckpointFormatException($"{source}: training option '{key}' {field.Unparsable}: '{text}'");
        }
        try
        {
            options.Validate();
        }
        catch (TrainingOptionException e)
        {
            throw new CheckpointFormatException($"{source}: stored training option {e.Message} (edited by hand?)", e);
        }
        return options;
    }

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);
}
