using Vdsr.Core.Imaging;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;

namespace Vdsr.Core.Tests.Pruning;

public class ParetoChartTests
{
    private static readonly ParetoPoint[] Sweep =
    [
        new("dense", VdsrArchitecture.Original.ParameterCount, 37.65, 0.27),
        new("pruned 0.5", 166_464, 37.10, 0.08),
        new("pruned 0.75", 41_760, 36.40, null),
    ];

    [Fact]
    public void CostIsTwoFlopsPerWeightPerPixel()
    {
        Assert.Equal(VdsrArchitecture.Original.FlopsPerPixel / 1e6, Sweep[0].MflopPerPixel, 12);
        Assert.Equal(0.332928, Sweep[1].MflopPerPixel, 12);
    }

    [Fact]
    public void PublishedPointsAreTheIssuesFigures()
    {
        Assert.Equal(
            [("FSRCNN", 12_000L, 37.00), ("SRCNN", 57_000, 36.66), ("DRRN", 297_000, 37.74), ("CARN-M", 412_000, 37.53), ("VDSR (paper)", 665_000, 37.53)],
            PublishedSrModels.All.Select(p => (p.Name, p.Parameters, p.Set5X2)));
    }

    [Fact]
    public void BothPanelsShowTheMeasuredPointsAndOnlyTheCostPanelThePublishedOnes()
    {
        using var temp = new TempFolder();
        string png = temp.File("pareto.png");
        ParetoChart.Save(png, Sweep, PublishedSrModels.All, "forward ms, 256x256");
        var picture = ImageFile.Load(png).Rgb;
        Assert.Equal((2 * ParetoChart.PanelWidth, ParetoChart.Height), (picture.Width, picture.Height));
        // the measured points are drawn in #C83C28, the published ones in mid gray (#808080)
        int Count(int panel, (byte R, byte G, byte B) color)
        {
            int n = 0;
            for (int row = 0; row < picture.Height; row++)
                for (int col = panel * ParetoChart.PanelWidth; col < (panel + 1) * ParetoChart.PanelWidth; col++)
                    if (Math.Abs(picture[row, col, 0] - color.R) < 8 && Math.Abs(picture[row, col, 1] - color.G) < 8 && Math.Abs(picture[row, col, 2] - color.B) < 8) n++;
            return n;
        }
        int redLeft = Count(0, (0xC8, 0x3C, 0x28)), redRight = Count(1, (0xC8, 0x3C, 0x28));
        Assert.True(redLeft > 150, $"the cost panel has the three measured points ({redLeft} red pixels)");
        Assert.True(redRight > 100 && redRight < redLeft, $"the time panel has the two timed points ({redRight} vs {redLeft} red pixels)");
        int grayLeft = Count(0, (0x80, 0x80, 0x80)), grayRight = Count(1, (0x80, 0x80, 0x80));
        Assert.True(grayLeft > grayRight + 200, $"published points on the cost panel only ({grayLeft} vs {grayRight} gray pixels)");
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }
}
