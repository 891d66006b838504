using System.Globalization;
using Vdsr.Bench;
using Vdsr.Core;
using Vdsr.Core.Runtime;

const string Usage = "usage: Vdsr.Bench train-step [--batches 16,64,128] [--warmup 2] [--steps 5] [--rss-batch 16] [--rss-steps 500] [--threads 1]\n"
    + "       Vdsr.Bench forward [--size 256] [--thread-counts 1,2] [--repeats 3]\n"
    + "       Vdsr.Bench read --file train.h5 [--batch 64] [--batches 2000] [--workers 0,1,2]\n"
    + "       Vdsr.Bench pruned-forward [--model models/model_epoch_50.pth] [--size 256] [--repeats 5] [--threads 2]";
try
{
    if (args.Length == 0 || (args[0] != "train-step" && args[0] != "forward" && args[0] != "read" && args[0] != "pruned-forward"))
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
    var batches = (flags.GetValueOrDefault("--batches") ?? "16,64,128").Split(',')
        .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new VdsrUserException($"--batches: '{s}' is not a positive integer"))
        .ToArray();
    if (args[0] == "forward")
    {
        TorchRuntime.EnsureInitialized();
        var counts = (flags.GetValueOrDefault("--thread-counts") ?? "1,2").Split(',')
            .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                : throw new VdsrUserException($"--thread-counts: '{s}' is not a positive integer"))
            .ToArray();
        ForwardBenchmark.Run(Int("--size", 256), counts, Int("--repeats", 3));
        return 0;
    }
    if (args[0] == "pruned-forward")
    {
        TorchRuntime.SetComputeThreads(Int("--threads", TorchRuntime.DefaultComputeThreads));
        PrunedForwardBenchmark.Run(flags.GetValueOrDefault("--model") ?? "models/model_epoch_50.pth", Int("--size", 256), Int("--repeats", 5));
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
    TrainStepBenchmark.Run(batches, Int("--warmup", 2), Int("--steps", 5), Int("--rss-batch", 16), Int("--rss-steps", 500));
    return 0;
}
catch (VdsrUserException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
