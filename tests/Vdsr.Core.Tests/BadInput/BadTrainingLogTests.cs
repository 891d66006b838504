using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>Training logs (CSV) edited by hand: every bad cell or header names the file and the line.</summary>
public sealed class BadTrainingLogTests : IDisposable
{
    private const string Header = "epoch,iteration,loss,lr,grad_norm,psnr_x2,psnr_x4,elapsed_s";
    private const string StepRow = "1,10,0.25,0.1,1.5,,,3.5";
    private const string ValidationRow = "1,10,,,,33.5,28.25,4";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(params string[] lines)
    {
        string path = _temp.File("train_log.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void GoodLogReads()
    {
        var history = TrainingHistory.Read(Write(Header, StepRow, ValidationRow));
        Assert.Equal(0.25, history.Steps.Single().Loss);
        Assert.Equal([2, 4], history.Scales);
        Assert.Equal(28.25, history.Validations.Single().PsnrByScale[4]);
    }

    [Theory]
    [InlineData("one,10,0.25,0.1,1.5,,,3.5", "line 2: epoch 'one' is not an integer")]
    [InlineData("1,ten,0.25,0.1,1.5,,,3.5", "line 2: iteration 'ten' is not an integer")]
    [InlineData("99999999999,10,0.25,0.1,1.5,,,3.5", "line 2: epoch '99999999999' is not an integer")]
    [InlineData("1,10,0.2.5,0.1,1.5,,,3.5", "line 2: loss '0.2.5' is not a number")]
    [InlineData("1,10,,,,thirty,28.25,4", "line 2: psnr_x2 'thirty' is not a number")]
    [InlineData("1,10,0.25,0.1,1.5,,,3.5s", "line 2: elapsed_s '3.5s' is not a number")]
    [InlineData("1,10,0.25,0.1,1.5,,,3.5,extra", "line 2 has 9 cells, the header 8")]
    [InlineData("1,10,0.25", "line 2 has 3 cells, the header 8")]
    public void BadRowIsRefused(string row, string fragment)
    {
        string path = Write(Header, row);
        UserErrorAssert.Refuses(path, () => TrainingHistory.Read(path), fragment);
    }

    [Theory]
    [InlineData("epoch,iteration,lr,elapsed_s", "no 'loss' column in the header")]
    [InlineData("iteration,loss", "no 'epoch' column in the header")]
    [InlineData("epoch,iteration,loss,psnr_xfour", "header column 'psnr_xfour' is not psnr_x<scale>")]
    [InlineData("epoch,iteration,loss,psnr_x", "header column 'psnr_x' is not psnr_x<scale>")]
    [InlineData("epoch,iteration,loss,psnr_x-2", "header column 'psnr_x-2' is not psnr_x<scale>")]
    [InlineData("epoch,iteration,loss,psnr_x99999999999", "header column 'psnr_x99999999999' is not psnr_x<scale>")]
    [InlineData("epoch,iteration,loss,psnr_x2,psnr_x2", "the header names column 'psnr_x2' twice")]
    public void BadHeaderIsRefused(string header, string fragment)
    {
        string path = Write(header, string.Join(",", Enumerable.Repeat("1", header.Split(',').Length)));
        UserErrorAssert.Refuses(path, () => TrainingHistory.Read(path), fragment);
    }
}
