using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vdsr.Core.Model;

namespace Vdsr.Core.Pruning;

/// <summary>
/// An NNI <c>config_list</c>: rules that select layers and give their sparsity. Read from the JSON
/// that NNI users write (a list of objects with <c>sparsity</c>, <c>op_types</c>, ...) and resolved
/// against a network into one <see cref="LayerTarget"/> per pruned layer.
/// </summary>
public sealed class PruneConfig
{
    private static readonly string[] Keys =
        ["sparsity", "sparsity_per_layer", "total_sparsity", "max_sparsity_per_layer", "op_types", "op_names", "op_partial_names", "exclude"];

    public IReadOnlyList<PruneRule> Rules { get; }

    /// <summary>Where the rules came from (a file name), named in error messages; null when built in code.</summary>
    public string? Source { get; }

    public PruneConfig(IReadOnlyList<PruneRule> rules, string? source = null)
    {
        Source = source;
        try
        {
            if (rules.Count == 0) throw new VdsrUserException("the pruning config has no rule");
            for (int i = 0; i < rules.Count; i++) Check(rules[i], i);
        }
        catch (VdsrUserException e) when (source is not null)
        {
            throw new VdsrUserException($"{source}: {e.Message}", e);
        }
        Rules = rules.ToArray();
    }

    /// <summary>NNI's usual config: <c>[{'sparsity': s, 'op_types': ['Conv2d']}]</c>.</summary>
    public static PruneConfig Uniform(double sparsity) =>
        new([new PruneRule { SparsityPerLayer = sparsity, OpTypes = [PrunableLayers.ConvType] }]);

    /// <summary>The most a config file may hold: a config_list is a few lines of JSON.</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <summary>Reads a config_list file: a regular file of at most <see cref="MaxFileBytes"/>, else a one-line error naming it.</summary>
    public static PruneConfig Load(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new VdsrUserException($"{path}: config file not found");
        byte[] bytes;
        try
        {
            bytes = IO.WholeFile.Read(path, "pruning config", MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{path}: cannot read ({ErrorText.OneLine(e.Message)})", e);
        }
        return Parse(System.Text.Encoding.UTF8.GetString(bytes), path);
    }

    /// <summary>Parses a config_list; <paramref name="source"/> names the file in error messages.</summary>
    public static PruneConfig Parse(string json, string source)
    {
        JsonNode? root;
        try
        {
            // Duplicates refused here: JsonObject would otherwise throw ArgumentException when first read.
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new VdsrUserException($"{source}: not valid JSON ({ErrorText.OneLine(e.Message.Split('\n')[0].Trim())})", e);
        }
        if (root is not JsonArray list)
            throw new VdsrUserException($"{source}: a pruning config is a JSON list of rules, e.g. [{{\"sparsity\": 0.5, \"op_types\": [\"Conv2d\"]}}]");
        var rules = new List<PruneRule>();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject entry)
                throw new VdsrUserException($"{source}: rule {i + 1} is not a JSON object");
            rules.Add(ReadRule(entry, $"{source}: rule {i + 1}"));
        }
        return new PruneConfig(rules, source);
    }

    /// <summary>The config as an NNI config_list (the form stored in pruned checkpoints).</summary>
    public string ToJson()
    {
        var list = new JsonArray();
        foreach (var rule in Rules)
        {
            var entry = new JsonObject();
            if (rule.SparsityPerLayer is double s) entry["sparsity_per_layer"] = s;
            if (rule.TotalSparsity is double t) entry["total_sparsity"] = t;
            if (rule.MaxSparsityPerLayer is double m) entry["max_sparsity_per_layer"] = m;
            if (rule.OpTypes is { } types) entry["op_types"] = new JsonArray(types.Select(x => (JsonNode)x).ToArray());
            if (rule.OpNames is { } names) entry["op_names"] = new JsonArray(names.Select(x => (JsonNode)x).ToArray());
            if (rule.OpPartialNames is { } parts) entry["op_partial_names"] = new JsonArray(parts.Select(x => (JsonNode)x).ToArray());
            if (rule.Exclude) entry["exclude"] = true;
            list.Add(entry);
        }
        return list.ToJsonString();
    }

    /// <summary>
    /// The pruned layers of <paramref name="architecture"/>, in layer order. As in NNI, a layer takes
    /// the last rule that selects it; if that rule excludes, the layer is not pruned.
    /// </summary>
    public IReadOnlyList<LayerTarget> Resolve(VdsrArchitecture architecture)
    {
        try
        {
            return ResolveRules(architecture);
        }
        catch (VdsrUserException e) when (Source is not null)
        {
            throw new VdsrUserException($"{Source}: {e.Message}", e);
        }
    }

    private IReadOnlyList<LayerTarget> ResolveRules(VdsrArchitecture architecture)
    {
        var names = PrunableLayers.ModuleNames(architecture);
        var chosen = new int?[names.Count];
        for (int r = 0; r < Rules.Count; r++)
        {
            var selected = Select(Rules[r], names, r);
            foreach (int layer in selected) chosen[layer] = r;
        }
        var targets = new List<LayerTarget>();
        for (int layer = 0; layer < names.Count; layer++)
        {
            if (chosen[layer] is not int r || Rules[r].Exclude) continue;
            var rule = Rules[r];
            targets.Add(rule.TotalSparsity is double total
                ? new LayerTarget(layer, names[layer], total, r, rule.MaxSparsityPerLayer)
                : new LayerTarget(layer, names[layer], rule.SparsityPerLayer!.Value, null, null));
        }
        if (targets.Count == 0)
            throw new VdsrUserException("the pruning config leaves no layer to prune (every selected layer is excluded)");
        return targets;
    }

    private static IReadOnlyList<int> Select(PruneRule rule, IReadOnlyList<string> names, int index)
    {
        string which = $"rule {index + 1}";
        if (rule.OpTypes is { } types)
        {
            var unknown = types.Where(t => t != PrunableLayers.ConvType && t != PrunableLayers.DefaultType).ToArray();
            if (unknown.Length == types.Count)
                throw new VdsrUserException($"{which}: op types [{ErrorText.OneLine(string.Join(", ", types))}] select no layer (VDSR's prunable layers are {PrunableLayers.ConvType})");
        }
        var byName = new HashSet<int>();
        bool named = rule.OpNames is not null || rule.OpPartialNames is not null;
        foreach (var name in rule.OpNames ?? [])
        {
            int layer = IndexOf(names, name);
            if (layer < 0)
                throw new VdsrUserException($"{which}: no layer is named '{ErrorText.OneLine(name)}' (layers: {string.Join(", ", Abbreviated(names))})");
            byName.Add(layer);
        }
        foreach (var part in rule.OpPartialNames ?? [])
        {
            var matches = Enumerable.Range(0, names.Count).Where(l => names[l].Contains(part, StringComparison.Ordinal)).ToArray();
            if (matches.Length == 0)
                throw new VdsrUserException($"{which}: no layer name contains '{ErrorText.OneLine(part)}' (layers: {string.Join(", ", Abbreviated(names))})");
            byName.UnionWith(matches);
        }
        return named ? byName.Order().ToArray() : Enumerable.Range(0, names.Count).ToArray();
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }

    private static IEnumerable<string> Abbreviated(IReadOnlyList<string> names) =>
        names.Count <= 4 ? names : [names[0], names[1], "...", names[^2], names[^1]];

    private static void Check(PruneRule rule, int index)
    {
        string which = $"rule {index + 1}";
        if (rule.OpTypes is null && rule.OpNames is null && rule.OpPartialNames is null)
            throw new VdsrUserException($"{which}: needs op_types, op_names or op_partial_names to select layers");
        if (rule.Exclude)
        {
            if (rule.SparsityPerLayer is not null || rule.TotalSparsity is not null)
                throw new VdsrUserException($"{which}: an exclude rule takes no sparsity");
            return;
        }
        if ((rule.SparsityPerLayer is null) == (rule.TotalSparsity is null))
            throw new VdsrUserException($"{which}: give exactly one of sparsity (per layer) and total_sparsity");
        CheckFraction(which, "sparsity", rule.SparsityPerLayer);
        CheckFraction(which, "total_sparsity", rule.TotalSparsity);
        if (rule.MaxSparsityPerLayer is double max)
        {
            if (rule.TotalSparsity is null)
                throw new VdsrUserException($"{which}: max_sparsity_per_layer only applies with total_sparsity");
            if (!(max > 0 && max <= 1)) throw new VdsrUserException($"{which}: max_sparsity_per_layer {Text(max)} must be in (0, 1]");
        }
    }

    private static void CheckFraction(string which, string key, double? value)
    {
        if (value is double v && !(v >= 0 && v < 1))
            throw new VdsrUserException($"{which}: {key} {Text(v)} must be in [0, 1)");
    }

    private static PruneRule ReadRule(JsonObject entry, string where)
    {
        foreach (var (key, _) in entry)
            if (!Keys.Contains(key))
                throw new VdsrUserException($"{where}: unknown key '{ErrorText.OneLine(key)}' (known: {string.Join(", ", Keys)})");
        if (entry.ContainsKey("sparsity") && entry.ContainsKey("sparsity_per_layer"))
            throw new VdsrUserException($"{where}: give sparsity or sparsity_per_layer, not both (they mean the same)");
        return new PruneRule
        {
            SparsityPerLayer = Number(entry, "sparsity", where) ?? Number(entry, "sparsity_per_layer", where),
            TotalSparsity = Number(entry, "total_sparsity", where),
            MaxSparsityPerLayer = Number(entry, "max_sparsity_per_layer", where),
            OpTypes = Strings(entry, "op_types", where),
            OpNames = Strings(entry, "op_names", where),
            OpPartialNames = Strings(entry, "op_partial_names", where),
            Exclude = entry["exclude"] is { } ex
                ? ex.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? ex.GetValue<bool>()
                    : throw new VdsrUserException($"{where}: exclude must be true or false")
                : false,
        };
    }

    private static double? Number(JsonObject entry, string key, string where)
    {
        if (entry[key] is not { } node) return null;
        if (node.GetValueKind() != JsonValueKind.Number)
            throw new VdsrUserException($"{where}: {key} must be a number");
        // A number beyond double's range (1e400) is valid JSON that GetValue<double> rejects with a FormatException.
        return node.AsValue().TryGetValue(out double value) && double.IsFinite(value) ? value
            : throw new VdsrUserException($"{where}: {key} {ErrorText.OneLine(node.ToJsonString())} is not a finite number");
    }

    private static IReadOnlyList<string>? Strings(JsonObject entry, string key, string where)
    {
        if (entry[key] is not { } node) return null;
        if (node is not JsonArray array || array.Any(x => x is null || x.GetValueKind() != JsonValueKind.String))
            throw new VdsrUserException($"{where}: {key} must be a list of strings");
        if (array.Count == 0) throw new VdsrUserException($"{where}: {key} is empty");
        return array.Select(x => x!.GetValue<string>()).ToArray();
    }

    private static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A layer to prune: its sparsity, and for a <c>total_sparsity</c> rule the rule's index
/// (<see cref="Group"/>), whose layers share one ranking, with its optional per-layer cap.
/// </summary>
public sealed record LayerTarget(int Layer, string Name, double Sparsity, int? Group, double? MaxSparsity);
