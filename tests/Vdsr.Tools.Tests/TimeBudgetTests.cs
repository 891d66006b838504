using Vdsr.Cli.Training;
using Vdsr.Core;
using Vdsr.Core.Training;

namespace Vdsr.Tools.Tests;

public class TimeBudgetTests
{
    [Theory]
    [InlineData("90", 90 * 60)]
    [InlineData("0.5", 30)]
    [InlineData(" 2 ", 120)]
    [InlineData("00:30:00", 30 * 60)]
    [InlineData("1.02:00:00", 26 * 3600)]
    [InlineData("0:00:05", 5)]
    public void ReadsMinutesOrDurations(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TimeBudget.Parse(text));

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("00:00:00")]
    [InlineData("-00:10:00")]
    public void RejectsOthersWithOneLine(string text)
    {
        var e = Assert.Throws<VdsrUserException>(() => TimeBudget.Parse(text));
        Assert.StartsWith($"--time-budget '{text}'", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
