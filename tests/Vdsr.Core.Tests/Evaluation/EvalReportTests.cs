using System.Text.Json;
using Vdsr.Core.Evaluation;

namespace Vdsr.Core.Tests.Evaluation;

public class EvalReportTests
{
    private static readonly EvalReport Report = new("Set5",
    [
        new ImageResult("a", 2, 10, 12, 30, 28, 0.9, 0.8, 0.5, 0.75),
        new ImageResult("b", 2, 20, 22, 34, 30, 0.7, 0.6, 1.5, 2.25),
        new ImageResult("a", 4, 8, 8, 25, 24, 0.5, 0.4, 0.25, 0.5),
    ], TotalSeconds: 4.5);

    [Fact]
    public void AveragesPerScaleInOrderOfAppearance()
    {
        var scales = Report.Scales;
        Assert.Equal([2, 4], scales.Select(s => s.Scale));
        Assert.Equal(new ScaleSummary(2, 2, 32, 29, 0.8, 0.7, 1.0, 1.5), scales[0]);
        Assert.Equal(1, scales[1].Images);
    }

    [Fact]
    public void TableHasARowPerScaleAndOptionallyPerImage()
    {
        var lines = Report.ToTable(perImage: false).Split('\n');
        Assert.Equal("Dataset: Set5 (convs in fp32)", lines[0]);
        Assert.Equal(["x2", "2", "32.0000", "29.0000", "0.8000", "0.7000", "1.000", "1.500"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("x4", lines[3]);
        Assert.Equal("Total time: 4.5 s", lines[^1]);
        var detailed = Report.ToTable(perImage: true);
        Assert.Contains(detailed.Split('\n'), l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["b", "x2", "20x22", "34.0000", "30.0000", "0.7000", "0.6000", "1.50"]);
    }

    [Fact]
    public void JsonCarriesScalesAndImages()
    {
        using var json = JsonDocument.Parse(Report.ToJson());
        var root = json.RootElement;
        Assert.Equal("Set5", root.GetProperty("dataset").GetString());
        Assert.Equal(4.5, root.GetProperty("totalSeconds").GetDouble());
        Assert.Equal(32, root.GetProperty("scales")[0].GetProperty("psnrVdsr").GetDouble());
        Assert.Equal(3, root.GetProperty("images").GetArrayLength());
        Assert.Equal("b", root.GetProperty("images")[1].GetProperty("name").GetString());
    }
}
