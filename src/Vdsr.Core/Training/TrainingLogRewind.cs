using System.Globalization;
using Vdsr.Core.IO;

namespace Vdsr.Core.Training;

/// <summary>
/// Cuts a training log back to a checkpoint's position before a resumed run appends to it: the rows
/// an interrupted run wrote after its last checkpoint are written again by the resumed run, so they
/// go, as does a row cut short by a kill. Steps, validations and checkpoints happen in that order, so
/// everything up to the position was logged before the checkpoint was written.
/// </summary>
public static class TrainingLogRewind
{
    /// <summary>Keeps the header and the rows at or before <paramref name="position"/>; returns the number of rows dropped.</summary>
    public static int CutBackTo(string path, TrainingPosition position)
    {
        if (!File.Exists(path)) return 0;
        string text = TrainingLogFile.ReadText(path);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        lines.RemoveAt(lines.Count - 1); // after the last newline: empty, or a row the kill cut short
        if (lines.Count == 0)
        {
            if (text.Length == 0) return 0;
            AtomicFile.WriteAllLines(path, []); // only a header cut short: the writer starts it again
            return 1;
        }

        var header = lines[0].Split(',');
        int epochColumn = Array.IndexOf(header, "epoch"), iterationColumn = Array.IndexOf(header, "iteration");
        if (epochColumn < 0 || iterationColumn < 0)
            throw new VdsrUserException($"{path}: no 'epoch' and 'iteration' columns in the header (not a training log?)");

        var kept = new List<string> { lines[0] };
        for (int row = 1; row < lines.Count; row++)
        {
            if (lines[row].Length == 0) continue;
            var cells = lines[row].Split(',');
            if (cells.Length != header.Length
                || !int.TryParse(cells[epochColumn], NumberStyles.None, CultureInfo.InvariantCulture, out int epoch)
                || !long.TryParse(cells[iterationColumn], NumberStyles.None, CultureInfo.InvariantCulture, out long iteration))
                throw new VdsrUserException($"{path}: line {row + 1} is not a log row of {header.Length} cells with a whole epoch and iteration");
            if (epoch < position.Epoch || (epoch == position.Epoch && iteration <= position.BatchesDone))
                kept.Add(lines[row]);
        }
        int dropped = lines.Count(l => l.Length > 0) - kept.Count + (text.EndsWith('\n') ? 0 : 1);
        if (dropped > 0) AtomicFile.WriteAllLines(path, kept);
        return dropped;
    }
}
