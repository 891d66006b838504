using System.Globalization;
using System.Numerics;
using Vdsr.Core.Model;

namespace Vdsr.Core.Training;

/// <summary>
/// One training option: its <see cref="TrainingOptions"/> property, its key in checkpoint metadata,
/// and how its value is written as invariant text and read back. The tools map the same rows to
/// their flags, so that writing, reading, reconciling and describing the options share one list.
/// </summary>
public sealed class TrainingOptionField
{
    public required string Property { get; init; }

    /// <summary>The metadata key, after <see cref="TrainingOptionTable.Prefix"/>.</summary>
    public required string Key { get; init; }

    /// <summary>The key older checkpoints used for the same value, read when <see cref="Key"/> is absent.</summary>
    public string? FormerKey { get; init; }

    /// <summary>Written by every version; the others were added later, and their absence means the default.</summary>
    public bool InEveryCheckpoint { get; init; }

    /// <summary>The value as round-trippable invariant text; null when it is unset (and not written).</summary>
    public required Func<TrainingOptions, string?> Format { get; init; }

    /// <summary>The options with this one set from <c>text</c>; null when the text is no value of it.</summary>
    public required Func<TrainingOptions, string, TrainingOptions?> Parse { get; init; }

    /// <summary>What a value that does not parse is called, e.g. "is not an integer".</summary>
    public required string Unparsable { get; init; }
}

/// <summary>Every training option, in the order the tools describe them.</summary>
public static class TrainingOptionTable
{
    public const string Prefix = "training.options.";

    public static IReadOnlyList<TrainingOptionField> Fields { get; } =
    [
        Int(nameof(TrainingOptions.BatchSize), "batch_size", o => o.BatchSize, (o, v) => o with { BatchSize = v }, everyCheckpoint: true),
        Int(nameof(TrainingOptions.Epochs), "epochs", o => o.Epochs, (o, v) => o with { Epochs = v }, everyCheckpoint: true),
        Int(nameof(TrainingOptions.StartEpoch), "start_epoch", o => o.StartEpoch, (o, v) => o with { StartEpoch = v }, everyCheckpoint: true),
        Choice(nameof(TrainingOptions.Optimizer), "optimizer", o => o.Optimizer, (o, v) => o with { Optimizer = v }),
        Real(nameof(TrainingOptions.LearningRate), "lr", o => o.LearningRate, (o, v) => o with { LearningRate = v }, everyCheckpoint: true),
        Int(nameof(TrainingOptions.Step), "step", o => o.Step, (o, v) => o with { Step = v }, everyCheckpoint: true),
        Choice(nameof(TrainingOptions.LearningRateDecay), "lr_decay", o => o.LearningRateDecay, (o, v) => o with { LearningRateDecay = v }),
        Real(nameof(TrainingOptions.DecayMinutes), "lr_decay_minutes", o => o.DecayMinutes, (o, v) => o with { DecayMinutes = v }),
        Int(nameof(TrainingOptions.WarmupSteps), "warmup_steps", o => o.WarmupSteps, (o, v) => o with { WarmupSteps = v }),
        Real(nameof(TrainingOptions.Momentum), "momentum", o => o.Momentum, (o, v) => o with { Momentum = v }, everyCheckpoint: true),
        Real(nameof(TrainingOptions.WeightDecay), "weight_decay", o => o.WeightDecay, (o, v) => o with { WeightDecay = v }, everyCheckpoint: true),
        Choice(nameof(TrainingOptions.LossReduction), "loss_reduction", o => o.LossReduction, (o, v) => o with { LossReduction = v }),
        Choice(nameof(TrainingOptions.ClipMode), "clip_mode", o => o.ClipMode, (o, v) => o with { ClipMode = v }, everyCheckpoint: true),
        Real(nameof(TrainingOptions.Clip), "clip", o => o.Clip, (o, v) => o with { Clip = v }, everyCheckpoint: true),
        Choice(nameof(TrainingOptions.Precision), "precision", o => o.Precision, (o, v) => o with { Precision = v }),
        Long(nameof(TrainingOptions.Seed), "seed", o => o.Seed, (o, v) => o with { Seed = v }, everyCheckpoint: true),
        Real(nameof(TrainingOptions.DistillWeight), "distill_weight", o => o.DistillWeight, (o, v) => o with { DistillWeight = v }),
        Int(nameof(TrainingOptions.CheckpointEveryEpochs), "checkpoint_every_epochs", o => o.CheckpointEveryEpochs, (o, v) => o with { CheckpointEveryEpochs = v },
            everyCheckpoint: true, formerKey: "checkpoint_every"),
        Long(nameof(TrainingOptions.CheckpointEverySteps), "checkpoint_every_steps", o => o.CheckpointEverySteps, (o, v) => o with { CheckpointEverySteps = v }),
        Real(nameof(TrainingOptions.CheckpointEveryMinutes), "checkpoint_every_minutes", o => o.CheckpointEveryMinutes, (o, v) => o with { CheckpointEveryMinutes = v }),
        Long(nameof(TrainingOptions.ValEverySteps), "val_every_steps", o => o.ValEverySteps, (o, v) => o with { ValEverySteps = v }),
        Real(nameof(TrainingOptions.ValEveryMinutes), "val_every_minutes", o => o.ValEveryMinutes, (o, v) => o with { ValEveryMinutes = v }),
        new TrainingOptionField
        {
            Property = nameof(TrainingOptions.Recipe), Key = "recipe", Unparsable = "is not a recipe name",
            Format = o => o.Recipe, Parse = (o, text) => o with { Recipe = text },
        },
    ];

    /// <summary>The row of a <see cref="TrainingOptions"/> property.</summary>
    public static TrainingOptionField Of(string property) =>
        Fields.FirstOrDefault(f => f.Property == property) ?? throw new ArgumentException($"no training option {property}", nameof(property));

    private static TrainingOptionField Int(string property, string key, Func<TrainingOptions, int> get, Func<TrainingOptions, int, TrainingOptions> set,
        bool everyCheckpoint = false, string? formerKey = null) => Integer(property, key, get, set, everyCheckpoint, formerKey);

    private static TrainingOptionField Long(string property, string key, Func<TrainingOptions, long> get, Func<TrainingOptions, long, TrainingOptions> set,
        bool everyCheckpoint = false) => Integer(property, key, get, set, everyCheckpoint, formerKey: null);

    private static TrainingOptionField Integer<T>(string property, string key, Func<TrainingOptions, T> get, Func<TrainingOptions, T, TrainingOptions> set,
        bool everyCheckpoint, string? formerKey) where T : IBinaryInteger<T> => new()
    {
        Property = property, Key = key, FormerKey = formerKey, InEveryCheckpoint = everyCheckpoint, Unparsable = "is not an integer",
        Format = o => get(o).ToString(null, CultureInfo.InvariantCulture),
        Parse = (o, text) => T.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out T? v) ? set(o, v) : null,
    };

    private static TrainingOptionField Real(string property, string key, Func<TrainingOptions, double> get, Func<TrainingOptions, double, TrainingOptions> set,
        bool everyCheckpoint = false) => new()
    {
        Property = property, Key = key, InEveryCheckpoint = everyCheckpoint, Unparsable = "is not a number",
        Format = o => get(o).ToString("R", CultureInfo.InvariantCulture),
        Parse = (o, text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? set(o, v) : null,
    };

    private static TrainingOptionField Choice<T>(string property, string key, Func<TrainingOptions, T> get, Func<TrainingOptions, T, TrainingOptions> set,
        bool everyCheckpoint = false) where T : struct, Enum => new()
    {
        Property = property, Key = key, InEveryCheckpoint = everyCheckpoint,
        Unparsable = "is none of " + string.Join(", ", EnumNames.All<T>()),
        Format = o => EnumNames.Name(get(o)),
        Parse = (o, text) => EnumNames.Parse<T>(text) is T v ? set(o, v) : null,
    };
}
