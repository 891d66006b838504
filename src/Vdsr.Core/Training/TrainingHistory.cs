using System.Globalization;

namespace Vdsr.Core.Training;

/// <summary>
/// The rows of a training log (<see cref="TrainingLogWriter"/>) read back: the loss of every step
/// and the validation PSNR per scale of every validation, with the training clock where the log has
/// one. When a resumed run repeats a step or a validation, the later row wins.
/// </summary>
public sealed class TrainingHistory
{
    public sealed record Step(int Epoch, long Iteration, double Loss, double? ElapsedSeconds = null);

    public sealed record Validation(int Epoch, IReadOnlyDictionary<int, double> PsnrByScale, long Iteration = 0, double? ElapsedSeconds = null);

    public IReadOnlyList<Step> Steps { get; }
    public IReadOnlyList<Validation> Validations { get; }
    public IReadOnlyList<int> Scales { get; }

    public TrainingHistory(IReadOnlyList<Step> steps, IReadOnlyList<Validation> validations, IReadOnlyList<int> scales)
    {
        Steps = steps;
        Validations = validations;
        Scales = scales;
    }

    public static TrainingHistory Read(string csvPath)
    {
        string[] lines;
        try { lines = File.ReadAllLines(csvPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{csvPath}: cannot read the training log ({e.Message})", e);
        }
        return Parse(lines, csvPath);
    }

    public static TrainingHistory Parse(IReadOnlyList<string> lines, string source)
    {
        if (lines.Count == 0) return new TrainingHistory([], [], []);
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is int i and >= 0 ? i
            : throw new VdsrUserException($"{source}: no '{name}' column in the header (not a training log?)");
        int epochColumn = Column("epoch"), iterationColumn = Column("iteration"), lossColumn = Column("loss");
        int elapsedColumn = Array.IndexOf(header, "elapsed_s"); // logs from before the training clock have none
        var psnrColumns = header.Select((name, i) => (name, i))
            .Where(c => c.name.StartsWith("psnr_x", StringComparison.Ordinal))
            .Select(c => (Scale: int.Parse(c.name["psnr_x".Length..], CultureInfo.InvariantCulture), Column: c.i))
            .ToArray();

        var steps = new Dictionary<(int, long), Step>();
        var validations = new Dictionary<(int, long), Validation>();
        for (int row = 1; row < lines.Count; row++)
        {
            if (lines[row].Length == 0) continue;
            var cells = lines[row].Split(',');
            if (cells.Length != header.Length)
                throw new VdsrUserException($"{source}: line {row + 1} has {cells.Length} cells, the header {header.Length}");
            int epoch = int.Parse(cells[epochColumn], CultureInfo.InvariantCulture);
            long iteration = long.Parse(cells[iterationColumn], CultureInfo.InvariantCulture);
            double? elapsed = elapsedColumn >= 0 && cells[elapsedColumn].Length > 0 ? Number(cells[elapsedColumn]) : null;
            if (cells[lossColumn].Length > 0)
                steps[(epoch, iteration)] = new Step(epoch, iteration, Number(cells[lossColumn]), elapsed);
            var psnr = psnrColumns.Where(c => cells[c.Column].Length > 0)
                .ToDictionary(c => c.Scale, c => Number(cells[c.Column]));
            if (psnr.Count > 0)
                validations[(epoch, iteration)] = new Validation(epoch, psnr, iteration, elapsed);
        }
        return new TrainingHistory(
            steps.Values.OrderBy(s => s.Epoch).ThenBy(s => s.Iteration).ToList(),
            validations.Values.OrderBy(v => v.Epoch).ThenBy(v => v.Iteration).ToList(),
            psnrColumns.Select(c => c.Scale).ToList());
    }

    private static double Number(string cell) => double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
}
