using System.Globalization;
using Vdsr.Bench;
using Vdsr.Core;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;

const string Usage = "usage: Vdsr.Bench train-step [--batches 16,64,128] [--precisions fp32,bf16] [--warmup 2] [--steps 5] [--rss-batch 16] [--rss-steps 500] [--threads 1]\n"
    + "       Vdsr.Bench forward [--sizes 256] [--thread-counts 1,2] [--plans fp32,bf16,winograd] [--repeats 3]\n"
    + "       Vdsr.Bench layers [--size 256] [--threads 1] [--repeats 10] [--channels 64]\n"
    + "       Vdsr.Bench export-set5 --out DIR [--set5 Set5]\n"
    + "       Vdsr.Bench make-photo --out photo.png [--width 1920] [--height 1080] [--set5 Set5]\n"
    + "       Vdsr.Bench winograd [--size 256] [--threads 1] [--repeats 5]\n"
    + "       Vdsr.Bench read --file train.h5 [--batch 64] [--batches 2000] [--workers 0,1,2]\n"
    + "       Vdsr.Bench pruned-forward [--model models/model_epoch_50.pth] [--size 256] [--repeats 5] [--threads 2]\n"
    + "       Vdsr.Bench pruned-plans [--model models/model_epoch_50.pth] [--sparsity 0.5] [--allocation per-layer|total] [--sizes 256,512] [--thread-counts 1,2]\n"
    + "                               [--plans fp32,winograd,bf16] [--repeats 3]\n"
    + "       Vdsr.Bench onnx [--model models/model_epoch_50.pth[,models/vdsr_pruned_0.5.safetensors]] [--fp32 model.onnx] [--int8 model-int8.onnx] [--calibration data/train.h5] [--calibration-samples 512]\n"
    + "                       [--set5 Set5] [--sizes 256,512] [--thread-counts 1,2] [--repeats 3]   (without --fp32/--int8: exported in memory)\n"
    + "       Vdsr.Bench pareto --models dense=models/model_epoch_50.pth,pruned=models/vdsr_pruned_0.5.safetensors,... [--dataset Set5_mat] [--out pareto.png]\n"
    + "                         [--size 256] [--threads 1] [--plans fp32,winograd,bf16] [--repeats 3]";
try
{
    if (args.Length == 0 || (args[0] != "train-step" && args[0] != "forward" && args[0] != "layers" && args[0] != "export-set5" && args[0] != "make-photo" && args[0] != "read" && args[0] != "pruned-forward" && args[0] != "pruned-plans" && args[0] != "winograd" && args[0] != "onnx" && args[0] != "pareto"))
        throw new VdsrUserException(Usage);
    var flags = new Dictionary<string, string>(StringComparer.Ordinal);
    for (int i = 1; i < args.Length; i += 2)
    {
        if (i + 1 >= args.Length || !args[i].StartsWith("--", StringComparison.Ordinal))
            throw new VdsrUserException($"unexpected argument '{args[i]}'");
        flags[args[i]] = args[i + 1];
    }
    int Int(string name, int fallback) =>
        !flags.TryGetValue(name, out var v) ? fallback
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw new VdsrUserException($"{name} {v}: not an integer");
    int[] Ints(string name, string fallback) => (flags.GetValueOrDefault(name) ?? fallback).Split(',')
        .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new VdsrUserException($"{name}: '{s}' is not a positive integer"))
        .ToArray();
    var precisions = (flags.GetValueOrDefault("--precisions") ?? "fp32").Split(',')
        .Select(s => PrecisionChoice.ParsePrecision(s) ?? throw new VdsrUserException($"--precisions: '{s}' is not fp32 or bf16"))
        .ToArray();
    var batches = (flags.GetValueOrDefault("--batches") ?? "16,64,128").Split(',')
        .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new VdsrUserException($"--batches: '{s}' is not a positive integer"))
        .ToArray();
    if (args[0] == "forward")
    {
        TorchRuntime.EnsureInitialized(TorchWorkload.Inference);
        var plans = (flags.GetValueOrDefault("--plans") ?? "fp32,bf16,winograd").Split(',')
            .Select(s => ForwardBenchmark.Plans.ContainsKey(s) ? s : throw new VdsrUserException($"--plans: '{s}' is not fp32, bf16 or winograd"))
            .ToArray();
        ForwardBenchmark.Run(Ints("--sizes", "256"), Ints("--thread-counts", "1,2"), plans, Int("--repeats", 3));
        return 0;
    }
    if (args[0] == "winograd")
    {
        TorchRuntime.EnsureInitialized(TorchWorkload.Inference);
        WinogradProbe.Run(Int("--size", 256), Int("--threads", 1), Int("--repeats", 5));
        return 0;
    }
    if (args[0] == "export-set5")
    {
        BenchInputs.ExportSet5(flags.GetValueOrDefault("--set5") ?? "Set5", flags.GetValueOrDefault("--out") ?? throw new VdsrUserException("export-set5 needs --out"));
        return 0;
    }
    if (args[0] == "make-photo")
    {
        BenchInputs.MakePhoto(flags.GetValueOrDefault("--set5") ?? "Set5", flags.GetValueOrDefault("--out") ?? throw new VdsrUserException("make-photo needs --out"),
            Int("--width", 1920), Int("--height", 1080));
        return 0;
    }
    if (args[0] == "layers")
    {
        TorchRuntime.EnsureInitialized(TorchWorkload.Inference);
        LayerBenchmark.Run(Int("--size", 256), Int("--threads", 1), Int("--repeats", 10), Int("--channels", 64));
        return 0;
    }
    if (args[0] == "pruned-forward")
    {
        TorchRuntime.SetComputeThreads(Int("--threads", TorchRuntime.DefaultComputeThreads), TorchWorkload.Inference);
        PrunedForwardBenchmark.Run(flags.GetValueOrDefault("--model") ?? "models/model_epoch_50.pth", Int("--size", 256), Int("--repeats", 5));
        return 0;
    }
    if (args[0] == "pruned-plans")
    {
        TorchRuntime.EnsureInitialized(TorchWorkload.Inference);
        string allocation = flags.GetValueOrDefault("--allocation") ?? "per-layer";
        if (allocation != "per-layer" && allocation != "total") throw new VdsrUserException($"--allocation: '{allocation}' is not per-layer or total");
        string sparsityText = flags.GetValueOrDefault("--sparsity") ?? "0.5";
        double sparsity = double.TryParse(sparsityText, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s < 1 ? s
            : throw new VdsrUserException($"--sparsity: '{sparsityText}' is not a number between 0 and 1");
        var plans = (flags.GetValueOrDefault("--plans") ?? "fp32,winograd,bf16").Split(',')
            .Select(p => ForwardBenchmark.Plans.ContainsKey(p) ? p : throw new VdsrUserException($"--plans: '{p}' is not fp32, bf16 or winograd"))
            .ToArray();
        PrunedPlansBenchmark.Run(flags.GetValueOrDefault("--model") ?? "models/model_epoch_50.pth", sparsity, allocation == "total",
            Ints("--sizes", "256,512"), Ints("--thread-counts", "1,2"), plans, Int("--repeats", 3));
        return 0;
    }
    if (args[0] == "pareto")
    {
        TorchRuntime.EnsureInitialized(TorchWorkload.Inference);
        var models = (flags.GetValueOrDefault("--models") ?? throw new VdsrUserException("pareto needs --models label=file,..."))
            .Split(',').Select(m => m.Split('=', 2) is [var label, var path] && label.Length > 0 && path.Length > 0 ? (label, path)
                : throw new VdsrUserException($"--models: '{m}' is not label=file"))
            .ToArray();
        var plans = (flags.GetValueOrDefault("--plans") ?? "fp32,winograd,bf16").Split(',')
            .Select(p => ForwardBenchmark.Plans.ContainsKey(p) ? p : throw new VdsrUserException($"--plans: '{p}' is not fp32, bf16 or winograd"))
            .ToArray();
        ParetoBenchmark.Run(models, flags.GetValueOrDefault("--dataset") ?? "Set5", flags.GetValueOrDefault("--out"),
            Int("--size", 256), Int("--threads", 1), plans, Int("--repeats", 3));
        return 0;
    }
    if (args[0] == "onnx")
    {
        OnnxBenchmark.Run((flags.GetValueOrDefault("--model") ?? "models/model_epoch_50.pth").Split(','), flags.GetValueOrDefault("--fp32"), flags.GetValueOrDefault("--int8"),
            flags.GetValueOrDefault("--calibration") ?? "data/train.h5", Int("--calibration-samples", 512), flags.GetValueOrDefault("--set5") ?? "Set5",
            Ints("--sizes", "256,512"), Ints("--thread-counts", "1,2"), Int("--repeats", 3));
        return 0;
    }
    if (args[0] == "read")
    {
        string file = flags.GetValueOrDefault("--file") ?? throw new VdsrUserException("read needs --file");
        var workers = (flags.GetValueOrDefault("--workers") ?? "0,1,2").Split(',')
            .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n
                : throw new VdsrUserException($"--workers: '{s}' is not a worker count"))
            .ToArray();
        ReaderBenchmark.Run(file, Int("--batch", 64), Int("--batches", 2000), workers);
        return 0;
    }
    TorchRuntime.SetComputeThreads(Int("--threads", 1));
    TrainStepBenchmark.Run(batches, precisions, Int("--warmup", 2), Int("--steps", 5), Int("--rss-batch", 16), Int("--rss-steps", 500));
    return 0;
}
catch (VdsrUserException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
