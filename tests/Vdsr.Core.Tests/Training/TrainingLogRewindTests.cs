using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.Training;

public class TrainingLogRewindTests
{
    private const string Header = "epoch,iteration,loss,lr,grad_norm,psnr_x2,elapsed_s";

    private static readonly string[] Rows =
    [
        "1,1,0.5,0.1,2,,0.1", "1,2,0.4,0.1,2,,0.2", "1,2,,,,30.5,0.2", "1,3,0.3,0.1,2,,0.3", "1,3,,,,31,0.3",
        "2,1,0.2,0.1,2,,0.4", "2,2,0.1,0.1,2,,0.5",
    ];

    [Theory]
    [InlineData(1, 2, 3)] // mid-epoch: the step and the validation at iteration 2 stay
    [InlineData(2, 0, 5)] // after epoch 1: its end-of-epoch validation stays
    [InlineData(2, 2, 7)] // the log's own end: nothing to drop
    [InlineData(1, 0, 0)] // before the first step
    public void KeepsTheRowsUpToThePosition(int epoch, long batchesDone, int kept)
    {
        using var temp = new TempFolder();
        string path = temp.File("training_log.csv");
        File.WriteAllLines(path, [Header, .. Rows]);

        int dropped = TrainingLogRewind.CutBackTo(path, new TrainingPosition(epoch, batchesDone));

        Assert.Equal(Rows.Length - kept, dropped);
        Assert.Equal([Header, .. Rows.Take(kept)], File.ReadAllLines(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void DropsARowThatAKillCutShort()
    {
        using var temp = new TempFolder();
        string path = temp.File("training_log.csv");
        File.WriteAllText(path, string.Join('\n', [Header, .. Rows.Take(2)]) + "\n1,3,0.");

        Assert.Equal(1, TrainingLogRewind.CutBackTo(path, new TrainingPosition(1, 5)));
        Assert.Equal([Header, .. Rows.Take(2)], File.ReadAllLines(path));
    }

    [Fact]
    public void AHandEditedRowIsAUserErrorNamingTheLine()
    {
        using var temp = new TempFolder();
        string path = temp.File("training_log.csv");
        File.WriteAllLines(path, [Header, Rows[0], "one,2,0.4,0.1,2,,0.2"]);

        var e = Assert.Throws<VdsrUserException>(() => TrainingLogRewind.CutBackTo(path, new TrainingPosition(1, 1)));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void ALogThatIsNoRegularFileIsRefusedInOneLineWithoutReadingIt()
    {
        // The checkpoint folder is user-given: its log could be a FIFO (a read would block) or a device.
        using var temp = new TempFolder();
        string path = temp.File("training_log.csv");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path)) mkfifo.WaitForExit();

        Assert.Equal($"{path}: is a FIFO (named pipe), not a training log (only a regular file is read)",
            Assert.Throws<VdsrUserException>(() => TrainingLogRewind.CutBackTo(path, new TrainingPosition(1, 1))).Message);
        Assert.Equal($"{path}: is a FIFO (named pipe), not a training log (only a regular file is read)",
            Assert.Throws<VdsrUserException>(() => TrainingHistory.Read(path)).Message);
        Assert.Equal($"{path}: is a FIFO (named pipe), not a training log (only a regular file is read)",
            Assert.Throws<VdsrUserException>(() => TrainingLogFile.ReadHeader(path)).Message);
    }

    [Fact]
    public void TheHeaderIsTheFirstLineAlone()
    {
        using var temp = new TempFolder();
        string path = temp.File("training_log.csv");
        File.WriteAllText(path, Header + "\r\n" + string.Join("\n", Rows));
        Assert.Equal(Header, TrainingLogFile.ReadHeader(path));
        File.WriteAllText(path, "");
        Assert.Null(TrainingLogFile.ReadHeader(path));
        File.WriteAllText(path, new string('x', TrainingLogFile.MaxHeaderChars + 1));
        Assert.Contains("the first line has more than", Assert.Throws<VdsrUserException>(() => TrainingLogFile.ReadHeader(path)).Message);
    }
}
