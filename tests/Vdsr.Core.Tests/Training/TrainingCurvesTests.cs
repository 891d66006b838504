using Vdsr.Core.Plotting;
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
        var spec = TrainingCurves.Chart(TrainingHistory.Parse(Log, "log.csv"), iterationsPerEpoch: 2);
        Assert.Equal(2, spec.Panels.Count);
        var loss = spec.Panels[0];
        Assert.True(loss.LogY);
        Assert.Equal([0.5, 1, 1.5, 2], loss.Series[0].X);
        Assert.Equal([8.0, 4, 3, 1], loss.Series[0].Y);
        Assert.Equal([1.0, 2], loss.Series[1].X);
        Assert.Equal([6.0, 2], loss.Series[1].Y); // epoch means
        var psnr = spec.Panels[1];
        Assert.Equal(["x2", "x4"], psnr.Series.Select(s => s.Name));
        Assert.Equal([31.0, 32], psnr.Series[0].Y);
        Assert.Equal([1.0], psnr.Series[1].X);

        var partial = TrainingCurves.Chart(TrainingHistory.Parse(Log[..3], "log.csv"), iterationsPerEpoch: 3);
        Assert.Empty(partial.Panels[0].Series[1].X); // epoch 1 stopped after 2 of 3 steps: no mean yet

        var image = LineChart.Render(spec);
        Assert.Equal((spec.Width, spec.Height), (image.Width, image.Height));
    }

    [Fact]
    public void WithoutValidationOnlyTheLossPanelIsDrawn()
    {
        var spec = TrainingCurves.Chart(TrainingHistory.Parse(["epoch,iteration,loss,lr,grad_norm", "1,1,2,0.1,1"], "log.csv"), 5);
        Assert.Single(spec.Panels);
    }

    [Fact]
    public void ALogWithoutTheColumnsIsAUserError()
    {
        var e = Assert.Throws<VdsrUserException>(() => TrainingHistory.Parse(["a,b,c", "1,2,3"], "other.csv"));
        Assert.Contains("other.csv", e.Message);
    }
}
