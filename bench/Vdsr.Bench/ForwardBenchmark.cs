using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Bench;

/// <summary>
/// Inference speed of the full 20x64 net on one image for each size, plan (fp32, bf16 or winograd:
/// fp32 with Winograd hidden convs) and libtorch thread count. The cases alternate round by round so that load changes on a shared machine hit
/// them alike; one warm-up round, then the best of <c>repeats</c>.
/// </summary>
internal static class ForwardBenchmark
{
    public static readonly IReadOnlyDictionary<string, ConvPlan> Plans =
        new Dictionary<string, ConvPlan>
        {
            ["fp32"] = new(ConvPrecision.Fp32, ConvAlgorithm.Direct),
            ["bf16"] = new(ConvPrecision.Bf16, ConvAlgorithm.Direct),
            ["winograd"] = new(ConvPrecision.Fp32, ConvAlgorithm.Winograd),
        };

    public static void Run(IReadOnlyList<int> sizes, IReadOnlyList<int> threadCounts, IReadOnlyList<string> plans, int repeats)
    {
        manual_seed(0);
        using var net = new VdsrNet();
        net.eval();
        using var _ = no_grad();
        var cases = (from size in sizes from threads in threadCounts from plan in plans select (size, threads, plan)).ToList();
        var best = cases.ToDictionary(c => c, _ => double.MaxValue);
        for (int r = 0; r <= repeats; r++)
        {
            foreach (var c in cases)
            {
                using var input = rand(1, 1, c.size, c.size);
                torch.set_num_threads(c.threads);
                var clock = Stopwatch.StartNew();
                using (var output = net.Forward(input, Plans[c.plan])) { }
                double seconds = clock.Elapsed.TotalSeconds;
                if (r > 0) best[c] = Math.Min(best[c], seconds);
            }
        }
        foreach (var c in cases)
        {
            double flops = VdsrArchitecture.Original.FlopsPerPixel * (double)c.size * c.size;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"csharp forward size={c.size} threads={c.threads} plan={c.plan} seconds={best[c]:F4} gflops={flops / best[c] / 1e9:F1}"));
        }
    }
}
