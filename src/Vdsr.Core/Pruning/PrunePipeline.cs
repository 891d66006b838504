using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Data;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Inference;
using Vdsr.Core.IO;
using Vdsr.Core.Model;
using Vdsr.Core.Training;

namespace Vdsr.Core.Pruning;

/// <summary>
/// Pruning from start to end: prune the model, optionally reconstruct and fine-tune it, write the
/// pruned checkpoint after each stage, and report every stage's size, cost and quality with the
/// forward times of the original and the result. Recovery time (reconstruction, the teacher's
/// cache and fine-tuning, not the evaluations) is what <see cref="PruneRequest.TimeBudget"/> limits.
/// </summary>
public sealed class PrunePipeline
{
    private readonly PruneRequest _request;
    private readonly PrunePipelineEvents _events;
    private readonly List<ModelRow> _rows = new();
    private readonly Stopwatch _recovery = new();
    private EvalDataset? _dataset;

    public PrunePipeline(PruneRequest request, PrunePipelineEvents? events = null)
    {
        _request = request;
        _events = events ?? new PrunePipelineEvents();
    }

    public PruneReport Run(CancellationToken token)
    {
        var fineTune = _request.FineTune;
        CheckOutput(_request.OutputPath);
        if ((_request.Reconstruct || fineTune is not null) && _request.TrainingDataPath is null)
            throw new ArgumentException("reconstruction and fine-tuning need the training patches", nameof(_request));
        _dataset = _request.DatasetFolder is null ? null : new EvalDataset(_request.DatasetFolder, _request.Scales, cumulativeModCrop: true);

        string modelPath = _request.ModelPath;
        var originalState = CheckpointFile.Load(modelPath);
        using var original = ModelStore.ToNet(originalState, modelPath, _request.Device, _request.ReportPlan);
        AddRow("original", original, originalState, null, null, token);

        StateDict prunedWeights;
        PruningResult? pruning = null;
        if (fineTune?.ResumeState is { } resumed)
        {
            prunedWeights = resumed;
        }
        else
        {
            pruning = Pruner.Prune(originalState, _request.Settings, modelPath);
            Say($"===> Pruned ({_request.Settings.Method.Name()}): {pruning.SourceArchitecture} -> {pruning.Architecture}, " +
                $"{pruning.NonZeroParameters:N0} of {pruning.SourceArchitecture.ParameterCount:N0} parameters");
            prunedWeights = pruning.Weights;
            long bytes = Save(prunedWeights, pruning, "pruned");
            AddRow("pruned", null, prunedWeights, bytes, 0, token);
            if (_request.Reconstruct)
            {
                prunedWeights = Reconstruct(originalState, pruning, token);
                bytes = Save(prunedWeights, pruning, "reconstructed");
                AddRow("+reconstruct", null, prunedWeights, bytes, Minutes(), token);
            }
        }

        if (fineTune is not null)
        {
            prunedWeights = FineTune(fineTune, originalState, prunedWeights, token);
            bool distilled = fineTune.Options.DistillWeight > 0;
            long bytes = Save(prunedWeights, pruning, distilled ? "fine-tuned (distilled)" : "fine-tuned");
            AddRow(distilled ? "+fine-tune+dist" : "+fine-tune", null, prunedWeights, bytes, Minutes(), token);
        }

        ForwardComparison? forward = null;
        if (_request.TimingRepeats > 0)
        {
            using var prunedNet = ModelStore.ToNet(prunedWeights, "pruned network", _request.Device, _request.ReportPlan);
            var seconds = ForwardTiming.BestSeconds([original, prunedNet], _request.TimingSize, _request.TimingRepeats, _request.Device);
            forward = new ForwardComparison(_request.TimingSize, torch.get_num_threads(), _request.TimingRepeats, seconds[0], seconds[1]);
        }
        var report = new PruneReport(_request.Settings.Method.Name(), System.Text.Json.Nodes.JsonNode.Parse(_request.Settings.Config.ToJson())!,
            _dataset?.Folder ?? "", _rows, forward, _request.ReportPlan.Name);
        Say($"Wrote {_request.OutputPath}");
        if (_request.JsonPath is string json)
        {
            AtomicFile.WriteAllText(json, report.ToJson());
            Say($"Wrote {json}");
        }
        return report;
    }

    private StateDict Reconstruct(StateDict originalState, PruningResult pruning, CancellationToken token)
    {
        string dataPath = _request.TrainingDataPath!;
        using var source = HdfPatchDataset.Open(dataPath, new HdfPatchDatasetOptions { Seed = _request.Seed, Workers = 0 });
        int count = (int)Math.Min(_request.ReconstructSamples, source.PatchCount);
        var batch = source.Epoch(1, count, 0, token).First();
        _recovery.Start();
        _events.StageStarted?.Invoke("Reconstructing", pruning.SourceArchitecture.Depth, "layer");
        StateDict refit;
        try
        {
            refit = Reconstruction.Refit(originalState, pruning, batch.Inputs, batch.Count, batch.PatchSize,
                (done, _) => _events.StageProgress?.Invoke(done, pruning.SourceArchitecture.Depth), token);
        }
        finally
        {
            _events.StageEnded?.Invoke();
            _recovery.Stop();
        }
        Say(string.Create(CultureInfo.InvariantCulture,
            $"===> Reconstructed {pruning.SourceArchitecture.Depth} layers from {batch.Count} patches of {dataPath} in {_recovery.Elapsed.TotalSeconds:F1} s"));
        return refit;
    }

    /// <summary>Trains the pruned weights (or continues a resumed fine-tuning), the unpruned network teaching when distilling.</summary>
    private StateDict FineTune(PruneFineTuning fineTune, StateDict originalState, StateDict prunedWeights, CancellationToken token)
    {
        var options = fineTune.Options;
        var device = _request.Device;
        using var student = fineTune.ResumeState is null
            ? ModelStore.ToNet(prunedWeights, "pruned network", device)
            : TrainingSession.BuildNetwork(fineTune.ResumeState, fineTune.ResumePath, null, null, options.Seed);
        student.to(device);
        using var teacher = options.DistillWeight > 0 ? ModelStore.ToNet(originalState, _request.ModelPath, device) : null;
        if (fineTune.TeacherCachePath is string cache && teacher is not null)
            CacheTeacherOutputs(teacher, cache, token);

        Say("===> Loading datasets");
        using var source = HdfPatchDataset.Open(_request.TrainingDataPath!, new HdfPatchDatasetOptions
        {
            Seed = TrainingState.PatchSeed(options, fineTune.ResumeState, fineTune.ResumePath), Workers = fineTune.Workers, TeacherOutputsPath = fineTune.TeacherCachePath });
        var validation = fineTune.ValidationFolder is null ? null : new EvalDataset(fineTune.ValidationFolder, fineTune.ValidationScales);
        var start = fineTune.ResumeState is { } state
            ? TrainingStart.Resumed(student, state, fineTune.ResumePath, fineTune.AdjustResumed, teacher)
            : TrainingStart.Fresh(student, options, teacher);
        var run = new TrainingRunRequest
        {
            Start = start, CheckpointFolder = fineTune.CheckpointFolder, KeepCheckpoints = fineTune.KeepCheckpoints,
            Validation = validation, Device = device, TimeLeft = _request.TimeBudget - _recovery.Elapsed,
        };
        _recovery.Start();
        try
        {
            TrainingRun.Run(run, source, _events.Training with { Message = _events.Training.Message ?? _events.Message }, _events.TrainingStarting, token);
        }
        finally
        {
            _recovery.Stop();
        }
        token.ThrowIfCancellationRequested();
        return ModelStore.ToStateDict(student);
    }

    /// <summary>Makes (or reuses) the teacher's outputs for every training patch; counted in the recovery time.</summary>
    private void CacheTeacherOutputs(VdsrNet teacher, string cache, CancellationToken token)
    {
        string dataPath = _request.TrainingDataPath!;
        _recovery.Start();
        _events.StageStarted?.Invoke("Caching teacher outputs", 1, "patch");
        bool written;
        try
        {
            written = TeacherCache.Ensure(teacher, dataPath, cache,
                new SynchronousProgress<(long Done, long Total)>(p => _events.StageProgress?.Invoke(p.Done, p.Total)), token);
        }
        finally
        {
            _events.StageEnded?.Invoke();
            _recovery.Stop();
        }
        Say(written ? $"===> Wrote the teacher's outputs for {dataPath} to {cache}" : $"===> Reusing the teacher's outputs in {cache}");
    }

    private double Minutes() => _recovery.Elapsed.TotalMinutes;

    private void Say(string line) => _events.Message?.Invoke(line);

    private void AddRow(string name, VdsrNet? loaded, StateDict weights, long? bytes, double? minutes, CancellationToken token)
    {
        var architecture = ModelStore.ArchitectureOf(weights, name);
        long nonZero = PruningResult.CountNonZero(weights);
        var quality = new List<ScaleQuality>();
        if (_dataset is not null)
        {
            using var owned = loaded is null ? ModelStore.ToNet(weights, name, _request.Device, _request.ReportPlan) : null;
            var net = loaded ?? owned!;
            net.eval();
            EvalReport report;
            _events.StageStarted?.Invoke($"Evaluating {name}", _dataset.Count, "img");
            try
            {
                int done = 0;
                report = new Evaluator(new Upscaler(net, _request.Device)).Run(_dataset, _ => _events.StageProgress?.Invoke(++done, _dataset.Count), token);
            }
            finally
            {
                _events.StageEnded?.Invoke();
            }
            quality.AddRange(report.Scales.Select(s => new ScaleQuality(s.Scale, s.PsnrVdsr, s.SsimVdsr, s.PsnrBicubic)));
        }
        var widths = architecture.HiddenWidths.Distinct().Count() == 1 ? $"{architecture.Depth}x{architecture.HiddenWidths[0]}" : "uneven";
        _rows.Add(new ModelRow(name, architecture.ParameterCount, nonZero, architecture.FlopsPerPixel, bytes, widths, minutes, quality));
        if (quality.Count > 0)
            Say($"===> {name}: " + string.Join(", ", quality.Select(q => string.Create(CultureInfo.InvariantCulture, $"x{q.Scale} {q.Psnr:F4} dB"))));
    }

    /// <summary>Writes the weights with the pruning settings (when known) to the output; returns the file's size.</summary>
    private long Save(StateDict weights, PruningResult? pruning, string stage)
    {
        var state = new StateDict();
        foreach (var (name, tensor) in OptimizerTensors.Weights(weights)) state.Add(name, tensor);
        pruning?.Settings.WriteTo(state.Metadata); // a resumed fine-tuning does not know how its model was pruned
        state.Metadata[PruningSettings.Prefix + "stage"] = stage;
        state.Metadata[PruningSettings.Prefix + "source_model"] = Path.GetFileName(_request.ModelPath);
        if (pruning is not null && pruning.Settings.Method.IsFilterMethod())
            state.Metadata[PruningSettings.Prefix + "kept_filters"] =
                JsonSerializer.Serialize(pruning.Layers.ToDictionary(l => l.Name, l => l.KeptFilters));
        Folders.CreateFor(_request.OutputPath, "pruned model");
        CheckpointFile.Save(_request.OutputPath, state);
        return new FileInfo(_request.OutputPath).Length;
    }

    /// <summary>Refuses an output that can never be written, before any work.</summary>
    private static void CheckOutput(string path)
    {
        if (Directory.Exists(path)) throw new VdsrUserException($"{path}: is a folder; give a file name for the pruned model");
        for (var folder = Path.GetDirectoryName(Path.GetFullPath(path)); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder)) throw new VdsrUserException($"{path}: cannot write ({folder} is a file, not a folder)");
            if (Directory.Exists(folder)) break;
        }
    }
}
