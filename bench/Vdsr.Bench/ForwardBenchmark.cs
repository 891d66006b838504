using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Bench;

/// <summary>
/// Inference speed of the full 20x64 net on one image, for each libtorch thread count, so the
/// default of --compute-threads can be chosen by measurement (compare the ratios, not the seconds).
/// </summary>
internal static class ForwardBenchmark
{
    public static void Run(int size, IReadOnlyList<int> threadCounts, int repeats)
    {
        manual_seed(0);
        using var net = new VdsrNet();
        net.eval();
        using var _ = no_grad();
        using var input = rand(1, 1, size, size);
        double flops = VdsrArchitecture.Original.FlopsPerPixel * (double)size * size;
        // Alternate the thread counts so that load changes on a shared machine hit them alike.
        var best = threadCounts.ToDictionary(t => t, _ => double.MaxValue);
        for (int r = 0; r <= repeats; r++)
        {
            foreach (int threads in threadCounts)
            {
                torch.set_num_threads(threads);
                var clock = Stopwatch.StartNew();
                using (var output = net.forward(input)) { }
                double seconds = clock.Elapsed.TotalSeconds;
                if (r > 0) best[threads] = Math.Min(best[threads], seconds); // r == 0 warms up
            }
        }
        double baseline = best[threadCounts[0]];
        foreach (int threads in threadCounts)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"csharp forward size={size} threads={threads} seconds={best[threads]:F3} gflops={flops / best[threads] / 1e9:F1} speedup_vs_{threadCounts[0]}={baseline / best[threads]:F2}"));
    }
}
