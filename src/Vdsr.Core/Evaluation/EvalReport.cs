using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vdsr.Core.Evaluation;

/// <summary>The results of an evaluation, with per-scale averages, as a table or JSON.</summary>
public sealed record EvalReport(string Dataset, IReadOnlyList<ImageResult> Images, double TotalSeconds, string Precision = "fp32")
{
    public IReadOnlyList<ScaleSummary> Scales =>
        Images.GroupBy(r => r.Scale).Select(g => new ScaleSummary(
            g.Key, g.Count(),
            g.Average(r => r.PsnrVdsr), g.Average(r => r.PsnrBicubic),
            g.Average(r => r.SsimVdsr), g.Average(r => r.SsimBicubic),
            g.Average(r => r.ForwardSeconds), g.Average(r => r.EndToEndSeconds))).ToList();

    public string ToTable(bool perImage)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Dataset: {Dataset} (convs in {Precision})");
        sb.AppendLine("scale images  PSNR VDSR  PSNR bicubic  SSIM VDSR  SSIM bicubic  s/img fwd  s/img total");
        foreach (var s in Scales)
            sb.AppendLine(inv, $"x{s.Scale,-4} {s.Images,6}  {s.PsnrVdsr,9:F4}  {s.PsnrBicubic,12:F4}  {s.SsimVdsr,9:F4}  {s.SsimBicubic,12:F4}  {s.ForwardSeconds,9:F3}  {s.EndToEndSeconds,11:F3}");
        if (perImage)
        {
            sb.AppendLine();
            sb.AppendLine("image            scale  size       PSNR VDSR  PSNR bicubic  SSIM VDSR  SSIM bicubic  s fwd");
            foreach (var r in Images)
                sb.AppendLine(inv, $"{r.Name,-16} x{r.Scale,-4} {r.Width + "x" + r.Height,-9}  {r.PsnrVdsr,9:F4}  {r.PsnrBicubic,12:F4}  {r.SsimVdsr,9:F4}  {r.SsimBicubic,12:F4}  {r.ForwardSeconds,5:F2}");
        }
        sb.Append(inv, $"Total time: {TotalSeconds:F1} s");
        return sb.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(
        new { dataset = Dataset, totalSeconds = TotalSeconds, scales = Scales, images = Images }, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

public sealed record ScaleSummary(
    int Scale, int Images, double PsnrVdsr, double PsnrBicubic, double SsimVdsr, double SsimBicubic,
    double ForwardSeconds, double EndToEndSeconds);
