using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.Training;

public class CadenceMarksTests
{
    [Fact]
    public void StepsCountFromTheStartOfTheRun()
    {
        var marks = new CadenceMarks(new TrainingOptions { ValEverySteps = 3, CheckpointEverySteps = 4 }, 0);
        var due = Enumerable.Range(1, 12).Select(step => marks.After(step, step)).ToArray();
        Assert.Equal([3, 6, 9, 12], due.Select((d, i) => (d, step: i + 1)).Where(x => x.d.Validate).Select(x => x.step));
        Assert.Equal([4, 8, 12], due.Select((d, i) => (d, step: i + 1)).Where(x => x.d.Checkpoint).Select(x => x.step));
    }

    [Fact]
    public void MinutesFireOnceEachTimeTheClockPassesAMultiple()
    {
        var marks = new CadenceMarks(new TrainingOptions { ValEveryMinutes = 1, CheckpointEveryMinutes = 2.5 }, 0);
        double[] clock = [30, 59, 61, 100, 119.9, 150.1, 179, 181, 400];
        var fired = clock.Select(s => (s, marks.After(1, s))).ToArray();
        Assert.Equal([61, 150.1, 181, 400], fired.Where(f => f.Item2.Validate).Select(f => f.s));
        Assert.Equal([150.1, 400], fired.Where(f => f.Item2.Checkpoint).Select(f => f.s));
    }

    [Fact]
    public void AResumedRunKeepsTheMarksOfTheClockItResumesAt()
    {
        var marks = new CadenceMarks(new TrainingOptions { ValEveryMinutes = 1 }, elapsedSeconds: 125);
        Assert.False(marks.After(1, 170).Validate); // mark 2 was passed before the interruption
        Assert.True(marks.After(2, 181).Validate);
    }

    [Fact]
    public void NothingFiresWhenOff()
    {
        var marks = new CadenceMarks(new TrainingOptions(), 0);
        Assert.DoesNotContain(Enumerable.Range(1, 50), step => marks.After(step, step * 100.0) is (true, _) or (_, true));
    }
}
