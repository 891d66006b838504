using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using Vdsr.Cli.Training;
using Vdsr.Core;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Data;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Inference;
using Vdsr.Core.IO;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Cli.Pruning;

/// <summary>
/// vdsr-prune from start to end: prune the model, optionally reconstruct and fine-tune it (through
/// the shared <see cref="TrainingWorkflow"/>), write the pruned checkpoint and print the report.
/// Recovery time (reconstruction and fine-tuning, not the evaluations) is what --time-budget limits.
/// </summary>
public sealed class PruneWorkflow
{
    private readonly PruneRequest _request;
    private readonly Device _device;
    private readonly List<ModelRow> _rows = new();
    private readonly Stopwatch _recovery = new();
    private EvalDataset? _dataset;

    public PruneWorkflow(PruneRequest request, Device device)
    {
        _request = request;
        _device = device;
    }

    public PruneReport Run(TrainingFlags trainingFlags, ParseResult parse, TrainingWorkflow training, CancellationToken token)
    {
        string modelPath = ModelOption.Resolve(_request.ModelPath);
        var resumeState = training.LoadResumeState();
        var requestedTraining = _request.FineTune ? trainingFlags.Read(parse, _request.DistillWeight) : null;
        CheckOutput(_request.OutputPath);
        _dataset = _request.Dataset is null ? null : new EvalDataset(BundledPaths.Resolve(_request.Dataset, "dataset folder"), _request.Scales, cumulativeModCrop: true);

        var originalState = CheckpointFile.Load(modelPath);
        using var original = ModelStore.ToNet(originalState, modelPath, _device);
        AddRow("original", original, originalState, null, null, token);

        StateDict prunedWeights;
        PruningResult? pruning = null;
        if (resumeState is null)
        {
            pruning = Pruner.Prune(originalState, _request.Settings, modelPath);
            Console.WriteLine($"===> Pruned ({_request.Settings.Method.Name()}): {pruning.SourceArchitecture} -> {pruning.Architecture}, " +
                              $"{pruning.NonZeroParameters:N0} of {pruning.SourceArchitecture.ParameterCount:N0} parameters");
            prunedWeights = pruning.Weights;
            long bytes = Save(prunedWeights, pruning, "pruned", modelPath);
            AddRow("pruned", null, prunedWeights, bytes, 0, token);

            if (_request.Reconstruct)
            {
                prunedWeights = Reconstruct(originalState, pruning, trainingFlags, parse, token);
                bytes = Save(prunedWeights, pruning, "reconstructed", modelPath);
                AddRow("+reconstruct", null, prunedWeights, bytes, Minutes(), token);
            }
        }
        else
        {
            prunedWeights = resumeState;
        }

        if (_request.FineTune)
        {
            using var student = resumeState is null
                ? ModelStore.ToNet(prunedWeights, "pruned network", _device)
                : TrainingSession.BuildNetwork(resumeState, training.ResumePath, null, null, requestedTraining!.Seed);
            student.to(_device);
            if (_request.TeacherCachePath is string cache)
                CacheTeacherOutputs(original, parse.GetValue(trainingFlags.Data)!, cache, token);
            using var data = training.OpenData(requestedTraining!, resumeState, _request.TeacherCachePath);
            var spent = _recovery.Elapsed;
            _recovery.Start();
            training.Run(data, student, requestedTraining!, resumeState, _device, token, spent,
                _request.DistillWeight > 0 ? original : null);
            _recovery.Stop();
            token.ThrowIfCancellationRequested();
            var tuned = ModelStore.ToStateDict(student);
            long bytes = Save(tuned, pruning, _request.DistillWeight > 0 ? "fine-tuned (distilled)" : "fine-tuned", modelPath);
            AddRow(_request.DistillWeight > 0 ? "+fine-tune+dist" : "+fine-tune", null, tuned, bytes, Minutes(), token);
            prunedWeights = tuned;
        }

        ForwardComparison? forward = null;
        if (_request.TimingRepeats > 0)
        {
            using var prunedNet = ModelStore.ToNet(prunedWeights, "pruned network", _device);
            original.Precision = prunedNet.Precision = _request.Precision;
            original.Algorithm = prunedNet.Algorithm = _request.Algorithm;
            var seconds = ForwardTiming.BestSeconds([original, prunedNet], _request.TimingSize, _request.TimingRepeats, _device);
            forward = new ForwardComparison(_request.TimingSize, torch.get_num_threads(), _request.TimingRepeats, seconds[0], seconds[1]);
        }
        var report = new PruneReport(_request.Settings.Method.Name(), System.Text.Json.Nodes.JsonNode.Parse(_request.Settings.Config.ToJson())!, _dataset?.Folder ?? "", _rows, forward, VdsrNet.PlanName(_request.Precision, _request.Algorithm));
        Console.WriteLine($"Wrote {_request.OutputPath}");
        if (_request.JsonPath is string json)
        {
            AtomicFile.WriteAllText(json, report.ToJson());
            Console.WriteLine($"Wrote {json}");
        }
        return report;
    }

    private StateDict Reconstruct(StateDict originalState, PruningResult pruning, TrainingFlags trainingFlags, ParseResult parse, CancellationToken token)
    {
        string dataPath = BundledPaths.Resolve(parse.GetValue(trainingFlags.Data)!, "training file");
        using var source = HdfPatchDataset.Open(dataPath, new HdfPatchDatasetOptions { Seed = parse.GetValue(trainingFlags.Seed), Workers = 0 });
        int count = (int)Math.Min(_request.ReconstructSamples, source.PatchCount);
        var batch = source.Epoch(1, count, 0, token).First();
        _recovery.Start();
        StateDict refit;
        using (var bar = new ProgressBar("Reconstructing", pruning.SourceArchitecture.Depth, "layer"))
        {
            refit = Reconstruction.Refit(originalState, pruning, batch.Inputs, batch.Count, batch.PatchSize, (done, _) => bar.Report(done, ""), token);
            bar.Complete();
        }
        _recovery.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"===> Reconstructed {pruning.SourceArchitecture.Depth} layers from {batch.Count} patches of {dataPath} in {_recovery.Elapsed.TotalSeconds:F1} s"));
        return refit;
    }

    /// <summary>Makes (or reuses) the teacher's outputs for every training patch; counted in the recovery time.</summary>
    private void CacheTeacherOutputs(VdsrNet teacher, string data, string cache, CancellationToken token)
    {
        string dataPath = BundledPaths.Resolve(data, "training file");
        _recovery.Start();
        bool written;
        using (var bar = new ProgressBar("Caching teacher outputs", 1, "patch"))
        {
            written = TeacherCache.Ensure(teacher, dataPath, cache, new SynchronousProgress<(long Done, long Total)>(p => bar.Report(p.Done, p.Total, "")), token);
            bar.Complete();
        }
        _recovery.Stop();
        Console.WriteLine(written ? $"===> Wrote the teacher's outputs for {dataPath} to {cache}" : $"===> Reusing the teacher's outputs in {cache}");
    }

    private double Minutes() => _recovery.Elapsed.TotalMinutes;

    private void AddRow(string name, VdsrNet? loaded, StateDict weights, long? bytes, double? minutes, CancellationToken token)
    {
        var architecture = ModelStore.ArchitectureOf(weights, name);
        long nonZero = PruningResult.CountNonZero(weights);
        var quality = new List<ScaleQuality>();
        if (_dataset is not null)
        {
            using var owned = loaded is null ? ModelStore.ToNet(weights, name, _device) : null;
            var net = loaded ?? owned!;
            net.eval();
            EvalReport report;
            var (trainingPrecision, trainingAlgorithm) = (net.Precision, net.Algorithm); // the unpruned net may teach a fine-tuning later
            (net.Precision, net.Algorithm) = (_request.Precision, _request.Algorithm);
            using (var bar = new ProgressBar($"Evaluating {name}", _dataset.Count, "img"))
            {
                int done = 0;
                report = new Evaluator(new Upscaler(net, _device)).Run(_dataset, _ => bar.Report(++done, ""), token);
                bar.Complete();
            }
            (net.Precision, net.Algorithm) = (trainingPrecision, trainingAlgorithm);
            quality.AddRange(report.Scales.Select(s => new ScaleQuality(s.Scale, s.PsnrVdsr, s.SsimVdsr, s.PsnrBicubic)));
        }
        var widths = architecture.HiddenWidths.Distinct().Count() == 1 ? $"{architecture.Depth}x{architecture.HiddenWidths[0]}" : "uneven";
        _rows.Add(new ModelRow(name, architecture.ParameterCount, nonZero, architecture.FlopsPerPixel, bytes, widths, minutes, quality));
        if (quality.Count > 0)
            Console.WriteLine($"===> {name}: " + string.Join(", ", quality.Select(q => string.Create(CultureInfo.InvariantCulture, $"x{q.Scale} {q.Psnr:F4} dB"))));
    }

    /// <summary>Writes the weights with the pruning settings (when known) to the output; returns the file's size.</summary>
    private long Save(StateDict weights, PruningResult? pruning, string stage, string modelPath)
    {
        var state = new StateDict();
        foreach (var (name, tensor) in OptimizerTensors.Weights(weights)) state.Add(name, tensor);
        pruning?.Settings.WriteTo(state.Metadata); // a resumed fine-tuning does not know how its model was pruned
        state.Metadata[PruningSettings.Prefix + "stage"] = stage;
        state.Metadata[PruningSettings.Prefix + "source_model"] = Path.GetFileName(modelPath);
        if (pruning is not null && pruning.Settings.Method.IsFilterMethod())
            state.Metadata[PruningSettings.Prefix + "kept_filters"] =
                JsonSerializer.Serialize(pruning.Layers.ToDictionary(l => l.Name, l => l.KeptFilters));
        CreateFolderOf(_request.OutputPath);
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

    private static void CreateFolderOf(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VdsrUserException($"{path}: cannot create the output folder ({e.Message})", e);
        }
    }
}
