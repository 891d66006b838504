using System.Diagnostics;
using System.Globalization;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;
using static TorchSharp.torch;

namespace Vdsr.Bench;

/// <summary>
/// The sparsity sweep's table and Pareto picture: for each model, Set5 PSNR (fp32 convs) at x2, x3
/// and x4 and the forward time of one image on each plan, all models timed in turn round by round
/// in one run so that load hits them alike (one warm-up round, then the best of <c>repeats</c>).
/// An image folder is cropped as the original .mat files were (cumulative modcrop), so the bundled
/// Set5 gives the .mat numbers.
/// The first model is the dense baseline of the speed-up column.
/// </summary>
internal static class ParetoBenchmark
{
    public static void Run(IReadOnlyList<(string Label, string Path)> models, string dataset, string? pngPath,
        int size, int threads, IReadOnlyList<string> plans, int repeats)
    {
        var nets = models.Select(m => (m.Label, Net: ModelStore.LoadNet(m.Path))).ToList();
        try
        {
            set_num_threads(threads);
            var quality = new List<IReadOnlyList<ScaleSummary>>();
            foreach (var (label, net) in nets)
            {
                net.eval(); // loaded with the fp32 plan
                var report = new Evaluator(new Upscaler(net, CPU)).Run(new EvalDataset(dataset, [2, 3, 4], cumulativeModCrop: true));
                quality.Add(report.Scales);
                Console.WriteLine($"{label}: " + string.Join(", ", report.Scales.Select(s => string.Create(CultureInfo.InvariantCulture, $"x{s.Scale} {s.PsnrVdsr:F4}"))));
            }

            using var _ = no_grad();
            using var image = rand(1, 1, size, size, generator: new Generator(0));
            var best = new double[nets.Count, plans.Count];
            for (int i = 0; i < nets.Count; i++) for (int p = 0; p < plans.Count; p++) best[i, p] = double.MaxValue;
            for (int round = 0; round <= repeats; round++)
                for (int i = 0; i < nets.Count; i++)
                    for (int p = 0; p < plans.Count; p++)
                    {
                        var net = nets[i].Net;
                        var clock = Stopwatch.StartNew();
                        using (net.Forward(image, ForwardBenchmark.Plans[plans[p]])) { }
                        if (round > 0) best[i, p] = Math.Min(best[i, p], clock.Elapsed.TotalSeconds);
                    }

            var inv = CultureInfo.InvariantCulture;
            var points = new List<ParetoPoint>();
            Console.WriteLine($"| model | widths | parameters | MFLOP/px | Set5 x2 | x3 | x4 | {string.Join(" | ", plans.Select(p => $"{p} (s)"))} | best plan | {nets[0].Label} / this (best plans) |");
            Console.WriteLine("|" + string.Concat(Enumerable.Repeat("---|", 9 + plans.Count)));
            double baseline = Enumerable.Range(0, plans.Count).Min(p => best[0, p]);
            for (int i = 0; i < nets.Count; i++)
            {
                var (label, net) = nets[i];
                int fastest = Enumerable.Range(0, plans.Count).MinBy(p => best[i, p]);
                double Psnr(int scale) => quality[i].Single(s => s.Scale == scale).PsnrVdsr;
                var point = new ParetoPoint(label, net.Architecture.ParameterCount, Psnr(2), best[i, fastest]);
                points.Add(point);
                string times = string.Join(" | ", Enumerable.Range(0, plans.Count).Select(p => best[i, p].ToString("F4", inv)));
                Console.WriteLine(string.Create(inv,
                    $"| {label} | {net.Architecture} | {point.Parameters:N0} | {point.MflopPerPixel:F3} | {Psnr(2):F4} | {Psnr(3):F4} | {Psnr(4):F4} | {times} | {plans[fastest]} | {baseline / best[i, fastest]:F2}x |"));
            }
            if (pngPath is not null)
            {
                ParetoChart.Save(pngPath, points, PublishedSrModels.All,
                    string.Create(inv, $"forward of one {size}x{size} image, best plan, {threads} thread(s), ms"));
                Console.WriteLine($"wrote {pngPath}");
            }
        }
        finally
        {
            foreach (var (_, net) in nets) net.Dispose();
        }
    }
}
