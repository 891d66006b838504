using System.Globalization;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Data;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>Everything one training run needs besides its patches: how it starts, where its files go, how long it may take.</summary>
public sealed record TrainingRunRequest
{
    public required TrainingStart Start { get; init; }
    public required string CheckpointFolder { get; init; }

    /// <summary>Keep only this many newest checkpoints in the folder (0: all).</summary>
    public int KeepCheckpoints { get; init; }

    public EvalDataset? Validation { get; init; }
    public required Device Device { get; init; }

    /// <summary>Training stops (with a checkpoint) once this much time has passed from the call; null: no limit.</summary>
    public TimeSpan? TimeLeft { get; init; }
}

/// <summary>
/// A training run under a time limit: a <see cref="TrainingSession"/> whose cosine lr decay, in a fresh
/// run without a decay length of its own, spans the time the limit leaves (a cosine over epochs that the
/// limit ends long before would stop at a high lr).
/// </summary>
public static class TrainingRun
{
    /// <param name="starting">Called with the trainer before the first step (e.g. to print its options).</param>
    public static TrainingOutcome Run(TrainingRunRequest request, IPatchBatchSource source, TrainingSessionEvents events,
        Action<Trainer>? starting, CancellationToken token)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
        var start = request.Start;
        if (request.TimeLeft is { } left)
        {
            if (left > TimeSpan.Zero) limit.CancelAfter(left);
            else limit.Cancel(); // at once: a timer of zero could let the first steps run
            if (FitCosineToTime(start.Options, left) is { } fitted)
            {
                start = start with { Options = fitted };
                events.Message?.Invoke(string.Create(CultureInfo.InvariantCulture, $"=> cosine lr decay over the {fitted.DecayMinutes:F2} minutes the time budget leaves"));
            }
        }
        using var session = new TrainingSession(start, source, request.CheckpointFolder, request.Validation, request.Device, events)
        {
            KeepCheckpoints = request.KeepCheckpoints,
        };
        starting?.Invoke(session.Trainer);
        var outcome = session.Run(limit.Token);
        if (outcome == TrainingOutcome.Cancelled)
            events.Message?.Invoke(token.IsCancellationRequested ? "===> Stopped on request" : "===> Stopped: the time budget is spent");
        return outcome;
    }

    /// <summary>A fresh run's options with the cosine spread over <paramref name="left"/>; null when they need no change.</summary>
    public static TrainingOptions? FitCosineToTime(TrainingOptions? fresh, TimeSpan left) =>
        fresh is { LearningRateDecay: LearningRateDecay.Cosine, DecayMinutes: 0 } && left > TimeSpan.Zero
            ? fresh with { DecayMinutes = Math.Round(left.TotalMinutes, 2) }
            : null;
}
