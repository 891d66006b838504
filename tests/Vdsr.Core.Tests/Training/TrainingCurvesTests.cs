using Vdsr.Core.Imaging;
using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.Training;

public class TrainingCurvesTests
{
    // A run stopped after epoch 1 iteration 2, then resumed from the end of epoch 1: the repeated
    // steps of epoch 2 and the repeated validation of epoch 1 must count once, the later rows winning.
    private static readonly string[] Log =
    [
        "epoch,iteration,loss,lr,grad_norm,psnr_x2,psnr_x4",
        "1,1,8,0.1,3,,",
        "1,2,4,0.1,3,,",
        "1,2,,,,30.5,25.25",
        "2,1,9,0.1,3,,",
        "2,2,7,0.1,3,,",
        "1,2,,,,31,26",
        "2,1,3,0.1,3,,",
        "2,2,1,0.1,3,,",
        "2,2,,,,32,",
    ];

    [Fact]
    public void HistoryKeepsTheLastRowOfEachStepAndEpoch()
    {
        var history = TrainingHistory.Parse(Log, "log.csv");
        Assert.Equal([2, 4], history.Scales);
        Assert.Equal([(1, 1L, 8.0), (1, 2, 4), (2, 1, 3), (2, 2, 1)], history.Steps.Select(s => (s.Epoch, s.Iteration, s.Loss)));
        Assert.Equal([1, 2], history.Validations.Select(v => v.Epoch));
        Assert.Equal(31, history.Validations[0].PsnrByScale[2]);
        Assert.Equal(26, history.Validations[0].PsnrByScale[4]);
        Assert.False(history.Validations[1].PsnrByScale.ContainsKey(4));
    }

    [Fact]
    public void ChartPlacesStepsInEpochsAndPsnrPerScale()
    {
        var curves = TrainingCurves.Compute(TrainingHistory.Parse(Log, "log.csv"), iterationsPerEpoch: 2);
        Assert.Equal([0.5, 1, 1.5, 2], curves.Steps.X);
        Assert.Equal([8.0, 4, 3, 1], curves.Steps.Y);
        Assert.Equal([1.0, 2], curves.EpochMeans.X);
        Assert.Equal([6.0, 2], curves.EpochMeans.Y);
        Assert.Equal([2, 4], curves.PsnrByScale.Keys.Order());
        Assert.Equal([31.0, 32], curves.PsnrByScale[2].Y);
        Assert.Equal([1.0], curves.PsnrByScale[4].X);

        var partial = TrainingCurves.Compute(TrainingHistory.Parse(Log[..3], "log.csv"), iterationsPerEpoch: 3);
        Assert.Empty(partial.EpochMeans.X); // epoch 1 stopped after 2 of 3 steps: no mean yet
    }

    [Fact]
    public void ThePictureHasALossPanelAndOnePanelPerScaleWithText()
    {
        using var temp = new TempFolder();
        string csv = temp.File("log.csv"), png = temp.File("curves.png");
        File.WriteAllLines(csv, Log);
        TrainingCurves.Save(csv, png, iterationsPerEpoch: 2);
        var picture = ImageFile.Load(png);
        Assert.Equal((TrainingCurves.Width, 3 * TrainingCurves.PanelHeight), (picture.Rgb.Width, picture.Rgb.Height));
        // Every panel is drawn on a white background, with its title in dark text from the bundled
        // font (without a font Skia draws no text at all).
        for (int panel = 0; panel < 3; panel++)
        {
            int dark = 0, light = 0, band = 30 * TrainingCurves.Width;
            for (int row = panel * TrainingCurves.PanelHeight; row < panel * TrainingCurves.PanelHeight + 30; row++)
                for (int col = 0; col < TrainingCurves.Width; col++)
                {
                    var (r, g, b) = (picture.Rgb[row, col, 0], picture.Rgb[row, col, 1], picture.Rgb[row, col, 2]);
                    if (r < 100 && g < 100 && b < 100) dark++;
                    if (r > 230 && g > 230 && b > 230) light++;
                }
            Assert.True(dark > 100 && light > band * 0.8, $"panel {panel}: {dark} dark and {light} light pixels of {band} in the title band");
        }
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void WithoutValidationOnlyTheLossPanelIsDrawn()
    {
        var curves = TrainingCurves.Compute(TrainingHistory.Parse(["epoch,iteration,loss,lr,grad_norm", "1,1,2,0.1,1"], "log.csv"), 5);
        Assert.Single(TrainingCurves.Panels(curves));
    }

    [Fact]
    public void ALogWithoutTheColumnsIsAUserError()
    {
        var e = Assert.Throws<VdsrUserException>(() => TrainingHistory.Parse(["a,b,c", "1,2,3"], "other.csv"));
        Assert.Contains("other.csv", e.Message);
    }

    [Fact]
    public void LongEpochsArePlottedAgainstTrainingMinutes()
    {
        string[] log =
        [
            "epoch,iteration,loss,lr,grad_norm,psnr_x2,elapsed_s",
            "1,1,4,0.1,1,,30.000",
            "1,2,3,0.1,1,,60.000",
            "1,2,,,,33.5,60.000",
            "1,3,2,0.1,1,,90.000",
            "1,3,,,,34.25,90.000",
        ];
        var curves = TrainingCurves.Compute(TrainingHistory.Parse(log, "log.csv"), iterationsPerEpoch: 1000);
        Assert.True(curves.InMinutes);
        Assert.Equal("training time (minutes)", curves.XLabel);
        Assert.Equal([0.5, 1, 1.5], curves.Steps.X);
        Assert.Equal([1.0, 1.5], curves.PsnrByScale[2].X);
        Assert.Equal([33.5, 34.25], curves.PsnrByScale[2].Y);

        var short_ = TrainingCurves.Compute(TrainingHistory.Parse(log, "log.csv"), iterationsPerEpoch: 1);
        Assert.False(short_.InMinutes); // three whole epochs: the epoch axis
        Assert.Equal([2.0, 3], short_.PsnrByScale[2].X);
    }
}
