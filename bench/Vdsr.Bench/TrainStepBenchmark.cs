using System.Diagnostics;
using System.Globalization;
using Vdsr.Core.Data;
using Vdsr.Core.Model;
using Vdsr.Core.Training;

namespace Vdsr.Bench;

/// <summary>
/// Throughput of one training step of the full 20x64 net on 41x41 patches (sum-MSE, clip 0.4,
/// SGD with momentum and weight decay) and resident memory over many steps.
/// </summary>
internal static class TrainStepBenchmark
{
    private const int PatchSize = 41;

    public static void Run(IReadOnlyList<int> batchSizes, IReadOnlyList<ConvPrecision> precisions, int warmup, int steps, int rssBatch, int rssSteps)
    {
        using var net = Trainer.CreateNetwork(VdsrArchitecture.Original, seed: 0);
        foreach (int batch in batchSizes)
        foreach (var precision in precisions)
        {
            using var source = RandomPatches(batch, seed: batch);
            using var trainer = new Trainer(net, source, new TrainingOptions { BatchSize = batch, Precision = precision });
            var data = source.Epoch(1, batch).Single();
            for (int i = 0; i < warmup; i++) trainer.Step(data, 0.1);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++) trainer.Step(data, 0.1);
            double seconds = clock.Elapsed.TotalSeconds / steps;
            Console.WriteLine(Line($"train-step batch={batch} precision={precision.Name()} seconds_per_step={seconds:F4} patches_per_s={batch / seconds:F2}"));
        }

        if (rssSteps <= 0) return;
        using var rssSource = RandomPatches(rssBatch, seed: 1);
        using var rssTrainer = new Trainer(net, rssSource, new TrainingOptions { BatchSize = rssBatch });
        var rssData = rssSource.Epoch(1, rssBatch).Single();
        int checkpoint = Math.Min(50, rssSteps);
        for (int i = 1; i <= rssSteps; i++)
        {
            rssTrainer.Step(rssData, 0.01);
            if (i == checkpoint || i == rssSteps)
                Console.WriteLine(Line($"rss batch={rssBatch} steps={i} rss_mib={ResidentMiB():F1}"));
        }
    }

    private static InMemoryPatchSource RandomPatches(int count, int seed)
    {
        var rng = new Random(seed);
        int n = count * PatchSize * PatchSize;
        var labels = new float[n];
        var inputs = new float[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = (float)rng.NextDouble();
            inputs[i] = labels[i] + (float)(0.05 * (rng.NextDouble() - 0.5));
        }
        return new InMemoryPatchSource(inputs, labels, PatchSize, seed);
    }

    private static double ResidentMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    private static string Line(FormattableString s) => "csharp " + s.ToString(CultureInfo.InvariantCulture);
}
