using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.Training;

public class TrainingLogWriterTests
{
    [Fact]
    public void WritesStepAndValidationRows()
    {
        var text = new StringWriter();
        using (var log = new TrainingLogWriter(text, [2, 3, 4]))
        {
            log.WriteStep(new TrainingProgress(1, 100, 4000, 12.5, 0.1, 0.75, 20, ElapsedSeconds: 61.25));
            log.WriteValidation(1, 4000, new Dictionary<int, double> { [2] = 37.5, [4] = 31.25 }, elapsedSeconds: 2400.5);
        }
        Assert.Equal(
            "epoch,iteration,loss,lr,grad_norm,psnr_x2,psnr_x3,psnr_x4,elapsed_s\n" +
            "1,100,12.5,0.1,0.75,,,,61.250\n" +
            "1,4000,,,,37.5,,31.25,2400.500\n",
            text.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public void AppendingToAnExistingLogKeepsOneHeader()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vdsr-log-{Guid.NewGuid():N}.csv");
        try
        {
            using (var log = TrainingLogWriter.Open(path, [4])) log.WriteValidation(1, 10, new Dictionary<int, double> { [4] = 30 });
            using (var log = TrainingLogWriter.Open(path, [4])) log.WriteValidation(2, 10, new Dictionary<int, double> { [4] = 31 });
            Assert.Equal(["epoch,iteration,loss,lr,grad_norm,psnr_x4,elapsed_s", "1,10,,,,30,0.000", "2,10,,,,31,0.000"], File.ReadAllLines(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
