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

    public static TrainingHistory Read(string csvPath) => Parse(TrainingLogFile.ReadLines(csvPath), csvPath);

    public static TrainingHistory Parse(IReadOnlyList<string> lines, string source)
    {
        if (lines.Count == 0) return new TrainingHistory([], [], []);
        var header = lines[0].Split(',');
        var duplicate = header.GroupBy(name => name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1 && g.Key.Length > 0);
        if (duplicate is not null)
            throw new VdsrUserException($"{source}: the header names column '{ErrorText.OneLine(duplicate.Key)}' twice");
        int Column(string name) => Array.IndexOf(header, name) is int i and >= 0 ? i
            : throw new VdsrUserException($"{source}: no '{name}' column in the header (not a training log?)");
        int epochColumn = Column("epoch"), iterationColumn = Column("iteration"), lossColumn = Column("loss");
        int elapsedColumn = Array.IndexOf(header, "elapsed_s"); // logs from before the training clock have none
        var psnrColumns = header.Select((name, i) => (name, i))
            .Where(c => c.name.StartsWith(PsnrPrefix, StringComparison.Ordinal))
            .Select(c => (Scale: ScaleOf(c.name, source), Column: c.i))
            .ToArray();

        var steps = new Dictionary<(int, long), Step>();
        var validations = new Dictionary<(int, long), Validation>();
        for (int row = 1; row < lines.Count; row++)
        {
            if (lines[row].Length == 0) continue;
            var cells = lines[row].Split(',');
            if (cells.Length != header.Length)
                throw new VdsrUserException($"{source}: line {row + 1} has {cells.Length} cells, the header {header.Length}");
            var line = new Row(cells, header, source, row + 1);
            int epoch = line.Int(epochColumn);
            long iteration = line.Long(iterationColumn);
            double? elapsed = elapsedColumn >= 0 && cells[elapsedColumn].Length > 0 ? line.Number(elapsedColumn) : null;
            if (cells[lossColumn].Length > 0)
                steps[(epoch, iteration)] = new Step(epoch, iteration, line.Number(lossColumn), elapsed);
            var psnr = psnrColumns.Where(c => cells[c.Column].Length > 0)
                .ToDictionary(c => c.Scale, c => line.Number(c.Column));
            if (psnr.Count > 0)
                validations[(epoch, iteration)] = new Validation(epoch, psnr, iteration, elapsed);
        }
        return new TrainingHistory(
            steps.Values.OrderBy(s => s.Epoch).ThenBy(s => s.Iteration).ToList(),
            validations.Values.OrderBy(v => v.Epoch).ThenBy(v => v.Iteration).ToList(),
            psnrColumns.Select(c => c.Scale).ToList());
    }

    private const string PsnrPrefix = "psnr_x";

    private static int ScaleOf(string column, string source) =>
        int.TryParse(column.AsSpan(PsnrPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int scale) && scale >= 1 ? scale
            : throw new VdsrUserException($"{source}: header column '{ErrorText.OneLine(column)}' is not {PsnrPrefix}<scale>");

    /// <summary>The cells of one line, read with errors that name the file, the line and the column.</summary>
    private readonly record struct Row(string[] Cells, string[] Header, string Source, int LineNumber)
    {
        public int Int(int column) =>
            int.TryParse(Cells[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : throw Bad(column, "an integer");

        public long Long(int column) =>
            long.TryParse(Cells[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : throw Bad(column, "an integer");

        public double Number(int column) =>
            double.TryParse(Cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw Bad(column, "a number");

        private VdsrUserException Bad(int column, string expected) =>
            new($"{Source}: line {LineNumber}: {ErrorText.OneLine(Header[column])} '{ErrorText.OneLine(Cells[column])}' is not {expected}");
    }
}
