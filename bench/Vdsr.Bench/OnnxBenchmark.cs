using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Vdsr.Core;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Imaging;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using Vdsr.Core.Onnx;
using Vdsr.Core.Runtime;
using static TorchSharp.torch;

namespace Vdsr.Bench;

/// <summary>
/// Deployment speed of one model or several (the dense one and a pruned one, say): whole-image forwards in TorchSharp (the fp32, winograd and bf16
/// plans of <see cref="ForwardBenchmark"/>) and in ONNX Runtime (its fp32 and int8 exports), all
/// through <see cref="ITileNetwork"/>, for each size and thread count. The cases alternate round by
/// round so that load changes on a shared machine hit them alike; one warm-up round, then the best of
/// <c>repeats</c>. ONNX Runtime fixes its threads per session, so each ONNX model has one session per
/// thread count; libtorch's threads are set globally before each TorchSharp case.
/// Prints one line per case and a markdown table: seconds, speed against ONNX Runtime fp32 and
/// against TorchSharp fp32 (their seconds / these seconds: above 1 is faster), and how far the output
/// is from TorchSharp fp32's on the same picture (PSNR, largest difference): every contender runs the same weights.
/// </summary>
internal static class OnnxBenchmark
{
    private const string OrtFp32 = "onnxruntime fp32";
    private const string TorchFp32 = "torch fp32";

    /// <summary>
    /// Idle time before each timed forward: the thread pool of the contender that ran last (ONNX
    /// Runtime's workers, libtorch's OpenMP threads) spins for a moment after its work, on the cores
    /// the next contender needs.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(50);

    private sealed record Contender(string Model, string Backend, string Plan, int Threads, ITileNetwork Network, Action Prepare)
    {
        public string Name => $"{Backend} {Plan}";
    }

    /// <param name="modelPaths">the models, all timed in the same rounds.</param>
    /// <param name="fp32Path">an fp32 ONNX export of the one model, or null to export one in memory.</param>
    /// <param name="int8Path">an int8 ONNX export of the one model, or null to export one in memory (calibrated on <paramref name="calibration"/>).</param>
    public static void Run(IReadOnlyList<string> modelPaths, string? fp32Path, string? int8Path, string calibration, int calibrationSamples,
        string set5Folder, IReadOnlyList<int> sizes, IReadOnlyList<int> threadCounts, int repeats)
    {
        if (repeats < 1) throw new VdsrUserException($"--repeats {repeats}: must be at least 1");
        if (modelPaths.Count > 1 && (fp32Path is not null || int8Path is not null))
            throw new VdsrUserException("--fp32 and --int8 name the exports of one --model; with several, each is exported in memory");
        TorchRuntime.EnsureInitialized(TorchWorkload.Inference);
        var sessions = new List<OnnxRuntimeNetwork>();
        var planNets = new List<VdsrNet>();
        try
        {
            var contenders = new List<Contender>();
            foreach (string modelPath in modelPaths)
                contenders.AddRange(ContendersOf(modelPath, fp32Path, int8Path, calibration, calibrationSamples, threadCounts, sessions, planNets));
            var cases = (from size in sizes from contender in contenders select (size, contender)).ToList();
            var inputs = sizes.Distinct().ToDictionary(s => s, s => Picture(set5Folder, s));
            var outputs = cases.ToDictionary(c => c, c => new float[c.size * c.size]);
            var best = cases.ToDictionary(c => c, _ => double.MaxValue);
            for (int round = 0; round <= repeats; round++)
            {
                foreach (var c in cases)
                {
                    c.contender.Prepare();
                    Thread.Sleep(Settle);
                    var clock = Stopwatch.StartNew();
                    c.contender.Network.Forward(inputs[c.size], c.size, c.size, outputs[c]);
                    double seconds = clock.Elapsed.TotalSeconds;
                    if (round > 0) best[c] = Math.Min(best[c], seconds);
                }
            }
            Report(cases, best, outputs, repeats);
        }
        finally
        {
            foreach (var session in sessions) session.Dispose();
            foreach (var planNet in planNets) planNet.Dispose();
        }
    }

    /// <summary>One model's contenders: its TorchSharp plans and its ONNX Runtime fp32 and int8 exports, per thread count.</summary>
    private static List<Contender> ContendersOf(string modelPath, string? fp32Path, string? int8Path, string calibration, int calibrationSamples,
        IReadOnlyList<int> threadCounts, List<OnnxRuntimeNetwork> sessions, List<VdsrNet> planNets)
    {
        var state = CheckpointFile.Load(modelPath);
        using var net = ModelStore.ToNet(state, modelPath);
        net.eval();
        var options = new OnnxExportOptions { SourceModel = Path.GetFileName(modelPath) };
        var fp32 = fp32Path is null
            ? OnnxVdsrModel.FromProto(OnnxExporter.Export(state, modelPath, options), $"fp32 export of {modelPath}")
            : OnnxModelFile.Read(fp32Path);
        var int8 = int8Path is null
            ? OnnxVdsrModel.FromProto(Int8Exporter.Export(state, modelPath, CalibrationSet.Load(calibration, calibrationSamples), options, threadCounts.Max()),
                $"int8 export of {modelPath}")
            : OnnxModelFile.Read(int8Path);
        foreach (var (model, precision) in new[] { (fp32, "fp32"), (int8, "int8") })
        {
            if (model.Precision != precision) throw new VdsrUserException($"{model.Source}: the model is {model.Precision}, expected {precision}");
            if (!model.Architecture.Equals(net.Architecture))
                throw new VdsrUserException($"{model.Source}: {model.Architecture}, but {modelPath} is {net.Architecture}");
        }
        Console.WriteLine($"onnx model={modelPath} architecture=\"{net.Architecture}\" fp32=\"{fp32.Source}\" opset={fp32.Opset} "
                          + $"int8=\"{int8.Source}\" opset={int8.Opset} onnxruntime={OrtEnv.Instance().GetVersionString()}");

        string name = Path.GetFileNameWithoutExtension(modelPath);
        var nets = ForwardBenchmark.Plans.Select(p => (Plan: p.Key, Net: ModelStore.ToNet(state, modelPath, plan: p.Value))).ToList();
        planNets.AddRange(nets.Select(n => n.Net));
        var contenders = new List<Contender>();
        foreach (int threads in threadCounts)
        {
            foreach (var (plan, planNet) in nets)
                contenders.Add(new Contender(name, "torch", plan, threads, new TorchTileNetwork(planNet, CPU), () => TorchRuntime.SetComputeThreads(threads)));
            foreach (var model in new[] { fp32, int8 })
            {
                sessions.Add(new OnnxRuntimeNetwork(model, threads));
                contenders.Add(new Contender(name, "onnxruntime", model.Precision, threads, sessions[^1], () => { }));
            }
        }
        return contenders;
    }

    private static void Report(List<(int size, Contender contender)> cases, Dictionary<(int, Contender), double> best,
        Dictionary<(int, Contender), float[]> outputs, int repeats)
    {
        (int, Contender) Reference((int size, Contender contender) c, string name) =>
            cases.First(r => r.size == c.size && r.contender.Model == c.contender.Model && r.contender.Threads == c.contender.Threads && r.contender.Name == name);
        // One reference output per model and size: the outputs do not depend on the thread count beyond rounding.
        (int, Contender) OutputReference(int size, string model) => cases.First(r => r.size == size && r.contender.Model == model && r.contender.Name == TorchFp32);
        var rows = cases.Select(c =>
        {
            double seconds = best[c];
            double vsOrt = best[Reference(c, OrtFp32)] / seconds, vsTorch = best[Reference(c, TorchFp32)] / seconds;
            var (maxAbs, psnr) = Difference(outputs[c], outputs[OutputReference(c.size, c.contender.Model)]);
            return (c.size, c.contender, seconds, vsOrt, vsTorch, diff: maxAbs * 255, psnr);
        }).ToList();
        foreach (var r in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"onnx forward model={r.contender.Model} size={r.size} threads={r.contender.Threads} backend={r.contender.Backend} plan={r.contender.Plan} seconds={r.seconds:F4} "
                + $"vs_onnxruntime_fp32={r.vsOrt:F2}x vs_torch_fp32={r.vsTorch:F2}x psnr_vs_torch_fp32={Db(r.psnr)} max_abs_diff_levels={r.diff:F3}"));
        Console.WriteLine();
        Console.WriteLine($"Whole-image forward, best of {repeats} after a warm-up, contenders alternated round by round. "
                          + "Speed = reference seconds / seconds (above 1: faster than the reference). "
                          + "Output against TorchSharp fp32's on the same picture (the x2 bicubic input of Set5's baby): PSNR (dB, peak 255) and largest difference (8-bit grey levels).");
        Console.WriteLine();
        Console.WriteLine("| model | size | threads | backend | plan | seconds | speed vs ONNX Runtime fp32 | speed vs TorchSharp fp32 | PSNR vs TorchSharp fp32 | max \\|diff\\| (levels) |");
        Console.WriteLine("|---|---:|---:|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in rows.OrderBy(r => r.size).ThenBy(r => r.contender.Threads))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.contender.Model} | {r.size}x{r.size} | {r.contender.Threads} | {(r.contender.Backend == "torch" ? "TorchSharp" : "ONNX Runtime")} | {r.contender.Plan} "
                + $"| {r.seconds:F4} | {r.vsOrt:F2}x | {r.vsTorch:F2}x | {Db(r.psnr)} | {r.diff:F3} |"));
    }

    private static string Db(double psnr) => double.IsPositiveInfinity(psnr) ? "identical" : psnr.ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>
    /// What VDSR sees in use: the Y/255 plane of the x2 bicubic input of Set5's baby at size x size
    /// (baby_GT resized to size/2, then back up to size). The time does not depend on the content, but
    /// the output differences do: on pictures, not noise, the int8 model's activations stay in the
    /// ranges calibrated on pictures.
    /// </summary>
    private static float[] Picture(string set5Folder, int size)
    {
        var baby = ImageFile.Load(Path.Combine(set5Folder, "baby_GT.bmp")).Rgb;
        var y = ColorSpace.Luma(MatlabResize.Resize(MatlabResize.Resize(baby, Math.Max(1, size / 2), Math.Max(1, size / 2)), size, size));
        return y.Data.Select(v => v / 255f).ToArray();
    }

    /// <summary>The largest absolute difference and the PSNR (peak 1) of <paramref name="output"/> against <paramref name="reference"/>.</summary>
    private static (double MaxAbs, double Psnr) Difference(float[] output, float[] reference)
    {
        double max = 0, squares = 0;
        for (int i = 0; i < output.Length; i++)
        {
            double d = (double)output[i] - reference[i];
            max = Math.Max(max, Math.Abs(d));
            squares += d * d;
        }
        return (max, squares == 0 ? double.PositiveInfinity : 10 * Math.Log10(output.Length / squares));
    }
}
