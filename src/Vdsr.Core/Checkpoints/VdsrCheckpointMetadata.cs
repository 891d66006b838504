using System.Globalization;

namespace Vdsr.Core.Checkpoints;

/// <summary>
/// The `__metadata__` fields that make a safetensors file a project checkpoint. Other string
/// metadata of a <see cref="StateDict"/> travels alongside unchanged.
/// </summary>
public static class VdsrCheckpointMetadata
{
    public const string FormatKey = "format";
    public const string FormatName = "vdsr-checkpoint";
    public const string VersionKey = "format_version";
    public const int Version = 1;
    public const string EpochKey = "epoch";
    public const string HiddenWidthsKey = "hidden_widths";

    internal static bool IsProjectFile(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(FormatKey, out var format) && format == FormatName;

    /// <summary>Metadata to write: the state's own entries plus format, version, widths and epoch.</summary>
    internal static Dictionary<string, string> ForSave(StateDict state)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = FormatName,
            [VersionKey] = Version.ToString(CultureInfo.InvariantCulture),
            [HiddenWidthsKey] = WidthsText(state),
        };
        if (state.Epoch is int epoch) metadata[EpochKey] = epoch.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in state.Metadata)
            metadata.TryAdd(key, value);
        return metadata;
    }

    /// <summary>Fills Epoch and Metadata of a state read from a project file, checking the declared widths.</summary>
    internal static void ApplyOnLoad(StateDict state, IReadOnlyDictionary<string, string> metadata)
    {
        if (!int.TryParse(metadata.GetValueOrDefault(VersionKey), NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
            throw new InvalidDataException($"project checkpoint has no valid {VersionKey}");
        if (version > Version)
            throw new InvalidDataException($"project checkpoint version {version} is newer than this build reads (up to {Version})");
        // A plain file's "epoch" may be anything its writer chose; in a project file it is ours.
        if (metadata.TryGetValue(EpochKey, out var epochText) && !int.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new InvalidDataException($"metadata '{EpochKey}' is not a number of completed epochs: '{epochText}'");
        if (metadata.TryGetValue(HiddenWidthsKey, out var widths))
        {
            var actual = WidthsText(state);
            if (widths != actual)
                throw new InvalidDataException($"metadata declares hidden widths [{widths}] but the weights have [{actual}]");
        }
        ApplyPlain(state, metadata);
        state.Metadata.Remove(FormatKey);
        state.Metadata.Remove(VersionKey);
    }

    /// <summary>Metadata of a plain safetensors file: copied, with a numeric "epoch" taken as the epoch.</summary>
    internal static void ApplyPlain(StateDict state, IReadOnlyDictionary<string, string> metadata)
    {
        foreach (var (key, value) in metadata)
        {
            if (key == EpochKey && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int epoch))
                state.Epoch = epoch;
            else
                state.Metadata[key] = value;
        }
    }

    private static string WidthsText(StateDict state) =>
        string.Join(",", VdsrParameterNames.HiddenWidths(VdsrParameterNames.WeightShapes(state)));
}
