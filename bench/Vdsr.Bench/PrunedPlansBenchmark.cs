using System.Diagnostics;
using System.Globalization;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;
using static TorchSharp.torch;

namespace Vdsr.Bench;

/// <summary>
/// Whole-image forward of the bundled (dense) model against its L1-pruned version, through
/// <see cref="VdsrNet"/> on each inference plan (fp32 direct, fp32 Winograd, bf16 direct), at each
/// size and thread count. Every contender runs once per round, in turn, so that load changes on a
/// shared machine hit them alike; one warm-up round, then the best of <c>repeats</c>. The table
/// gives each net's best plan and the speed-up of the pruned net on its best plan over the dense
/// net on its best plan, as inference runs (the bf16 plan's hidden convs with the ReLU fused,
/// <see cref="FusedConvRelu"/>), and, from the same rounds, with the bf16 plan's ReLU as a pass of
/// its own (the other plans do not use the fused op and are timed once).
/// </summary>
internal static class PrunedPlansBenchmark
{
    /// <summary>The plan whose hidden convs run with the fused ReLU.</summary>
    private const string FusedPlan = "bf16";

    public static void Run(string modelPath, double sparsity, bool global, IReadOnlyList<int> sizes,
        IReadOnlyList<int> threadCounts, IReadOnlyList<string> plans, int repeats)
    {
        var original = CheckpointFile.Load(modelPath);
        var rule = global
            ? new PruneRule { TotalSparsity = sparsity, OpTypes = [PrunableLayers.ConvType] }
            : new PruneRule { SparsityPerLayer = sparsity, OpTypes = [PrunableLayers.ConvType] };
        var pruned = Pruner.Prune(original, new PruningSettings { Config = new PruneConfig([rule]) }, modelPath);
        using var dense = ModelStore.ToNet(original, modelPath);
        using var small = ModelStore.ToNet(pruned.Weights, modelPath);
        dense.eval();
        small.eval();
        var nets = new[] { ("dense", dense), ("pruned", small) };
        Console.WriteLine($"dense: {dense.Architecture}; pruned ({(global ? "total" : "per-layer")} sparsity {sparsity.ToString(CultureInfo.InvariantCulture)}): {small.Architecture}");
        double flopRatio = (double)dense.Architecture.FlopsPerPixel / small.Architecture.FlopsPerPixel;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FLOPs dense / pruned = {flopRatio:F2}x"));

        using var _ = no_grad();
        int savedThreads = get_num_threads();
        var rows = new List<string>();
        foreach (int size in sizes)
        foreach (int threads in threadCounts)
        {
            set_num_threads(threads);
            using var image = rand(1, 1, size, size, generator: new Generator(0));
            var cases = (from net in nets from plan in plans from fused in plan == FusedPlan ? new[] { true, false } : [true]
                         select (Net: net, Plan: plan, Fused: fused)).ToArray();
            var best = cases.Select(_ => double.MaxValue).ToArray();
            for (int round = 0; round <= repeats; round++)
            {
                for (int i = 0; i < cases.Length; i++)
                {
                    var net = cases[i].Net.Item2;
                    FusedConvRelu.Enabled = cases[i].Fused;
                    var clock = Stopwatch.StartNew();
                    using (net.Forward(image, ForwardBenchmark.Plans[cases[i].Plan])) { }
                    if (round > 0) best[i] = Math.Min(best[i], clock.Elapsed.TotalSeconds);
                }
            }
            FusedConvRelu.Enabled = true;
            (string Plan, double Seconds) Best(string netName, bool fused) => cases.Select((c, i) => (c, i))
                .Where(p => p.c.Net.Item1 == netName && (p.c.Plan != FusedPlan || p.c.Fused == fused)).Select(p => (p.c.Plan, best[p.i])).MinBy(p => p.Item2);
            var denseBest = Best("dense", fused: true);
            var prunedBest = Best("pruned", fused: true);
            var denseApart = Best("dense", fused: false);
            var prunedApart = Best("pruned", fused: false);
            var cells = string.Join(" | ", cases.Select((_, i) => best[i].ToString("F4", CultureInfo.InvariantCulture)));
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {size} | {threads} | {cells} | {denseBest.Plan} {denseBest.Seconds:F4} | {prunedBest.Plan} {prunedBest.Seconds:F4} | {denseBest.Seconds / prunedBest.Seconds:F2}x | {denseApart.Seconds / prunedApart.Seconds:F2}x |"));
        }
        set_num_threads(savedThreads);
        var columns = (from net in nets from plan in plans from apart in plan == FusedPlan ? new[] { "", " (ReLU apart)" } : [""]
                       select $"{net.Item1} {plan}{apart}").ToList();
        Console.WriteLine($"| size | threads | {string.Join(" | ", columns)} | dense best | pruned best | dense / pruned (best plans) | the same, bf16 ReLU apart |");
        Console.WriteLine("|" + string.Concat(Enumerable.Repeat("---|", 2 + columns.Count + 4)));
        foreach (var row in rows) Console.WriteLine(row);
    }
}
