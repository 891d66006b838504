using System.Globalization;

namespace Vdsr.Core.Training;

/// <summary>
/// CSV training log: one row per logged step (epoch, iteration, loss, lr, grad_norm) and one per
/// validation (epoch, iteration and a PSNR column per scale), each with the training clock
/// (elapsed_s, last). Empty cells where a row has no value.
/// </summary>
public sealed class TrainingLogWriter : IDisposable
{
    private readonly TextWriter _writer;
    private readonly int[] _scales;
    private readonly string _name;

    /// <param name="name">What write errors name (the log's path).</param>
    public TrainingLogWriter(TextWriter writer, IReadOnlyList<int> validationScales, bool writeHeader = true, string name = "training log")
    {
        _writer = writer;
        _name = name;
        _scales = validationScales.ToArray();
        if (writeHeader)
            WriteRow(Header(_scales));
    }

    /// <summary>Appends to <paramref name="path"/> (a resumed run continues the same log); the header goes only into a new file.</summary>
    public static TrainingLogWriter Open(string path, IReadOnlyList<int> validationScales)
    {
        try
        {
            bool fresh = !File.Exists(path) || new FileInfo(path).Length == 0;
            var stream = new StreamWriter(path, append: true) { AutoFlush = true };
            return new TrainingLogWriter(stream, validationScales, writeHeader: fresh, name: path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{path}: cannot write the training log: {e.Message}", e);
        }
    }

    public static IReadOnlyList<string> Header(IReadOnlyList<int> validationScales) =>
        ["epoch", "iteration", "loss", "lr", "grad_norm", .. validationScales.Select(s => $"psnr_x{s}"), "elapsed_s"];

    public void WriteStep(TrainingProgress p) =>
        WriteRow([Text(p.Epoch), Text(p.Iteration), Text(p.Loss), Text(p.LearningRate), Text(p.GradientNorm), .. _scales.Select(_ => ""), Seconds(p.ElapsedSeconds)]);

    /// <summary>Validation PSNR (dB) per scale after <paramref name="iteration"/> steps of <paramref name="epoch"/>; missing scales stay empty.</summary>
    public void WriteValidation(int epoch, long iteration, IReadOnlyDictionary<int, double> psnrByScale, double elapsedSeconds = 0) =>
        WriteRow([Text(epoch), Text(iteration), "", "", "", .. _scales.Select(s => psnrByScale.TryGetValue(s, out var v) ? Text(v) : ""), Seconds(elapsedSeconds)]);

    private static string Seconds(double s) => s.ToString("F3", CultureInfo.InvariantCulture);

    private void WriteRow(IEnumerable<string> cells)
    {
        try
        {
            _writer.WriteLine(string.Join(",", cells));
        }
        catch (IOException e)
        {
            throw new VdsrUserException($"{_name}: cannot write the training log ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _writer.Dispose();
}
