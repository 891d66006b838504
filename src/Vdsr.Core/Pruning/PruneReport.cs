using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Vdsr.Core.Pruning;

/// <summary>
/// The pruning report: one row per model (original, pruned, reconstructed, fine-tuned) with its
/// size, cost and quality per scale, and the forward time of the original and pruned networks
/// measured in the same run.
/// </summary>
public sealed record PruneReport(
    string Method,
    JsonNode Config,
    string Dataset,
    IReadOnlyList<ModelRow> Models,
    ForwardComparison? Forward,
    string Precision = "fp32")
{
    public string ToTable()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var scales = Models.SelectMany(m => m.Quality.Select(q => q.Scale)).Distinct().Order().ToArray();
        sb.AppendLine(inv, $"Pruning: {Method}, config {Config.ToJsonString()}");
        sb.Append(inv, $"{"model",-16} {"params",9} {"non-zero",9} {"MFLOP/px",8} {"file KB",8} {"widths",-7} {"minutes",7}");
        foreach (int s in scales) sb.Append(inv, $"  {"x" + s + " PSNR/SSIM",-16}");
        sb.AppendLine();
        foreach (var m in Models)
        {
            string file = m.CheckpointBytes is long b ? (b / 1000.0).ToString("F1", inv) : "-";
            string minutes = m.Minutes is double t ? t.ToString("F1", inv) : "-";
            sb.Append(inv, $"{m.Name,-16} {m.Parameters,9:N0} {m.NonZeroParameters,9:N0} {m.FlopsPerPixel / 1e6,8:F3} {file,8} {m.Widths,-7} {minutes,7}");
            foreach (int s in scales)
            {
                var q = m.Quality.FirstOrDefault(x => x.Scale == s);
                sb.Append(inv, $"  {(q is null ? "-" : $"{q.Psnr:F4}/{q.Ssim:F4}"),-16}");
            }
            sb.AppendLine();
        }
        if (Dataset.Length > 0) sb.AppendLine(inv, $"Quality: PSNR (dB) / SSIM on Y of {Dataset}, convs in {Precision}");
        if (Forward is { } f)
            sb.AppendLine(inv, $"Forward {f.Size}x{f.Size} ({Precision}, {f.Threads} threads, best of {f.Repeats}): original {f.OriginalSeconds:F3} s, pruned {f.PrunedSeconds:F3} s, {f.Speedup:F2}x faster");
        return sb.ToString().TrimEnd();
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

/// <summary>
/// One model of the report: its weights (<see cref="NonZeroParameters"/> tells what level pruning
/// zeroed), dense FLOPs per output pixel, file size, and <see cref="Minutes"/>, the recovery time
/// (reconstruction and fine-tuning) spent when it was ready.
/// </summary>
public sealed record ModelRow(string Name, long Parameters, long NonZeroParameters, long FlopsPerPixel, long? CheckpointBytes, string Widths, double? Minutes, IReadOnlyList<ScaleQuality> Quality);

public sealed record ScaleQuality(int Scale, double Psnr, double Ssim, double BicubicPsnr);

public sealed record ForwardComparison(int Size, int Threads, int Repeats, double OriginalSeconds, double PrunedSeconds)
{
    public double Speedup => OriginalSeconds / PrunedSeconds;
}
