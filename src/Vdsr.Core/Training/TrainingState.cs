using System.Globalization;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Training;

/// <summary>
/// Puts everything a run needs to continue bit-identically into a <see cref="StateDict"/> and back:
/// weights under their PyTorch names, momentum buffers as "optimizer.momentum.&lt;name&gt;", and the
/// position and options as metadata strings.
/// </summary>
public static class TrainingState
{
    public const string EpochKey = "training.epoch";
    public const string BatchesDoneKey = "training.batches_done";
    public const string ElapsedKey = "training.elapsed_s";

    /// <param name="lineage">The model's record from before this run (<see cref="ModelLineage"/>), kept in every checkpoint.</param>
    public static StateDict Capture(VdsrNet net, TrainingOptimizer optimizer, TrainingOptions options, TrainingPosition position, double elapsedSeconds = 0,
        IReadOnlyDictionary<string, string>? lineage = null)
    {
        var state = ModelStore.ToStateDict(net, position.CompletedEpochs);
        foreach (var (key, value) in lineage ?? new Dictionary<string, string>()) state.Metadata[key] = value;
        optimizer.ExportState(state);
        options.WriteTo(state.Metadata);
        state.Metadata[EpochKey] = position.Epoch.ToString(CultureInfo.InvariantCulture);
        state.Metadata[BatchesDoneKey] = position.BatchesDone.ToString(CultureInfo.InvariantCulture);
        state.Metadata[ElapsedKey] = elapsedSeconds.ToString("R", CultureInfo.InvariantCulture);
        return state;
    }

    /// <summary>Metadata of a run rather than of the model: its position, clock and options.</summary>
    private const string RunPrefix = "training.";

    /// <summary>
    /// The model alone, as a file to ship: the weights and their record (epoch, lineage), without
    /// optimizer buffers or the run's position and options.
    /// </summary>
    public static StateDict ModelOnly(StateDict state)
    {
        var model = new StateDict { Epoch = state.Epoch };
        foreach (var (name, tensor) in OptimizerTensors.Weights(state)) model.Add(name, tensor);
        foreach (var (key, value) in state.Metadata)
            if (!key.StartsWith(RunPrefix, StringComparison.Ordinal) && !key.StartsWith(OptimizerTensors.Prefix, StringComparison.Ordinal))
                model.Metadata[key] = value;
        return model;
    }

    /// <summary>True when the state carries a training position (not just weights).</summary>
    public static bool IsResumable(StateDict state) => state.Metadata.ContainsKey(EpochKey);

    public static TrainingPosition ReadPosition(StateDict state, string origin)
    {
        if (!state.Metadata.TryGetValue(EpochKey, out var e) || !int.TryParse(e, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch) || epoch < 1)
            throw new CheckpointFormatException($"{origin}: no valid '{EpochKey}' (not a resumable training checkpoint)");
        if (!state.Metadata.TryGetValue(BatchesDoneKey, out var b) || !long.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out var done) || done < 0)
            throw new CheckpointFormatException($"{origin}: no valid '{BatchesDoneKey}' (not a resumable training checkpoint)");
        return new TrainingPosition(epoch, done);
    }

    /// <summary>The training clock stored with the state (0 in checkpoints from before it was kept).</summary>
    public static double ReadElapsedSeconds(StateDict state, string origin)
    {
        if (!state.Metadata.TryGetValue(ElapsedKey, out var text)) return 0;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 && double.IsFinite(s) ? s
            : throw new CheckpointFormatException($"{origin}: '{ElapsedKey}' is not a number of seconds: '{text}'");
    }

    public static TrainingOptions ReadOptions(StateDict state, string origin) => TrainingOptions.ReadFrom(state.Metadata, origin);

    /// <summary>
    /// The seed of a run's patch order: a resumed run's stored one, so that it continues exactly
    /// whatever seed is asked for now; else the requested one.
    /// </summary>
    public static long PatchSeed(TrainingOptions requested, StateDict? resumed, string origin) =>
        resumed is null ? requested.Seed : ReadOptions(resumed, origin).Seed;
}
