namespace Vdsr.Core.Training;

/// <summary>
/// Decides after each step whether a validation or a checkpoint is due: every n steps of the run,
/// or each time the training clock passes a multiple of m minutes (counted from the run's start,
/// so that a resumed run keeps the same marks).
/// </summary>
public sealed class CadenceMarks
{
    private readonly long _valSteps, _checkpointSteps;
    private readonly double _valSeconds, _checkpointSeconds;
    private long _valMark, _checkpointMark;

    public CadenceMarks(TrainingOptions options, double elapsedSeconds)
    {
        _valSteps = options.ValEverySteps;
        _checkpointSteps = options.CheckpointEverySteps;
        _valSeconds = options.ValEveryMinutes * 60;
        _checkpointSeconds = options.CheckpointEveryMinutes * 60;
        _valMark = Mark(elapsedSeconds, _valSeconds);
        _checkpointMark = Mark(elapsedSeconds, _checkpointSeconds);
    }

    /// <param name="runStep">Steps of the run so far, this one included (from 1).</param>
    /// <param name="elapsedSeconds">The training clock after this step.</param>
    public (bool Validate, bool Checkpoint) After(long runStep, double elapsedSeconds)
    {
        bool validate = Due(runStep, _valSteps, elapsedSeconds, _valSeconds, ref _valMark);
        bool checkpoint = Due(runStep, _checkpointSteps, elapsedSeconds, _checkpointSeconds, ref _checkpointMark);
        return (validate, checkpoint);
    }

    private static bool Due(long runStep, long everySteps, double elapsed, double everySeconds, ref long mark)
    {
        bool due = everySteps > 0 && runStep % everySteps == 0;
        long now = Mark(elapsed, everySeconds);
        if (now > mark)
        {
            mark = now;
            due = true;
        }
        return due;
    }

    private static long Mark(double elapsed, double every) => every > 0 ? (long)Math.Floor(elapsed / every) : 0;
}
