using System.Globalization;
using Vdsr.Core.Checkpoints;

namespace Vdsr.Core.Pruning;

/// <summary>What to prune and how: the criterion, the NNI config_list and the allocator mode.</summary>
public sealed record PruningSettings
{
    public const string NormalMode = "normal";
    public const string DependencyAwareMode = "dependency_aware";
    public const string BalanceMode = "balance";

    public PruningMethod Method { get; init; } = PruningMethod.L1;

    public PruneConfig Config { get; init; } = PruneConfig.Uniform(0.5);

    /// <summary>
    /// Filter criteria: <c>normal</c> or <c>dependency_aware</c> (identical for VDSR, whose convs
    /// share no channels); <see cref="PruningMethod.Level"/>: <c>normal</c> or <c>balance</c>.
    /// </summary>
    public string Mode { get; init; } = NormalMode;

    /// <summary>Level pruning in balance mode: block sizes over the weight's last dimensions (NNI's balance_gran).</summary>
    public IReadOnlyList<int>? BalanceGranularity { get; init; }

    public void Validate()
    {
        var modes = Method.IsFilterMethod() ? new[] { NormalMode, DependencyAwareMode } : new[] { NormalMode, BalanceMode };
        if (!modes.Contains(Mode))
            throw new VdsrUserException($"mode '{Mode}' is not one of the {Method.Name()} pruner's modes ({string.Join(", ", modes)})");
        if (Mode == BalanceMode)
        {
            if (BalanceGranularity is not { Count: > 0 } gran)
                throw new VdsrUserException("balance mode needs a balance granularity (e.g. 3)");
            if (gran.Any(g => g < 1)) throw new VdsrUserException($"balance granularity [{Joined(gran)}] must be positive");
        }
        else if (BalanceGranularity is not null)
        {
            throw new VdsrUserException("a balance granularity only applies to the level pruner in balance mode");
        }
    }

    /// <summary>The settings as checkpoint metadata strings.</summary>
    public void WriteTo(IDictionary<string, string> metadata)
    {
        metadata[Prefix + "method"] = Method.Name();
        metadata[Prefix + "mode"] = Mode;
        metadata[Prefix + "config"] = Config.ToJson();
        if (BalanceGranularity is { } gran) metadata[Prefix + "balance_gran"] = Joined(gran);
    }

    public const string Prefix = ModelLineage.PruningPrefix;

    private static string Joined(IEnumerable<int> values) => string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
