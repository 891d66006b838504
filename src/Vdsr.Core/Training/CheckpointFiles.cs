using System.Globalization;
using System.Text.RegularExpressions;

namespace Vdsr.Core.Training;

/// <summary>
/// The checkpoints of a training folder (<c>model_epoch_*.safetensors</c>), newest written first:
/// what `--resume latest` continues from and what `--keep-checkpoints` keeps. Write order, not the
/// position in the name, decides, so that checkpoints of a branch abandoned by resuming an older one
/// go first. Files written in the same clock tick are ordered by position.
/// </summary>
public static partial class CheckpointFiles
{
    public static IReadOnlyList<string> NewestFirst(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "model_epoch_*.safetensors")
            .Select(path => (Path: path, Match: CheckpointName().Match(Path.GetFileName(path))))
            .Where(f => f.Match.Success)
            .OrderByDescending(f => File.GetLastWriteTimeUtc(f.Path))
            .ThenByDescending(f => Number(f.Match.Groups["epoch"].Value))
            .ThenByDescending(f => f.Match.Groups["iter"].Success ? Number(f.Match.Groups["iter"].Value) : long.MaxValue)
            .Select(f => f.Path)
            .ToList();
    }

    /// <summary>The checkpoint written last, for `--resume latest`.</summary>
    public static string Latest(string folder) =>
        NewestFirst(folder) is { Count: > 0 } files ? files[0]
            : throw new VdsrUserException($"{folder}: no checkpoint (model_epoch_*.safetensors) to resume from");

    /// <summary>Deletes all but the <paramref name="keep"/> newest checkpoints (0 keeps all), never <paramref name="justWritten"/>; returns the deleted paths.</summary>
    public static IReadOnlyList<string> Prune(string folder, int keep, string justWritten)
    {
        if (keep <= 0) return [];
        string written = Path.GetFullPath(justWritten);
        var older = NewestFirst(folder).Where(p => Path.GetFullPath(p) != written).Skip(keep - 1).ToList();
        foreach (var path in older)
        {
            try { File.Delete(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new VdsrUserException($"{path}: cannot delete an old checkpoint (only the {keep} newest are kept) ({e.Message.ReplaceLineEndings(" ")})", e);
            }
        }
        return older;
    }

    private static long Number(string digits) => long.Parse(digits, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^model_epoch_(?<epoch>\d{1,9})(_iter_(?<iter>\d{1,18}))?\.safetensors$")]
    private static partial Regex CheckpointName();
}
