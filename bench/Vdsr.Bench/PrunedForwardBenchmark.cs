using System.Diagnostics;
using System.Globalization;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;
using static TorchSharp.torch;

namespace Vdsr.Bench;

/// <summary>
/// Forward time of the bundled model and its L1-pruned (0.5) version on one image, in libtorch's
/// default (NCHW) layout and in channels-last memory (strides only), alternated in one run.
/// </summary>
internal static class PrunedForwardBenchmark
{
    public static void Run(string modelPath, int size, int repeats)
    {
        var original = CheckpointFile.Load(modelPath);
        var pruned = Pruner.Prune(original, new PruningSettings(), modelPath).Weights;
        var cases = new (string Name, Tensor[] Weights, bool ChannelsLast)[]
        {
            ("original NCHW", Weights(original, false), false),
            ("pruned NCHW", Weights(pruned, false), false),
            ("original channels-last", Weights(original, true), true),
            ("pruned channels-last", Weights(pruned, true), true),
        };
        using var _ = no_grad();
        using var image = rand(1, 1, size, size, generator: new Generator(0));
        var best = cases.Select(_ => double.MaxValue).ToArray();
        for (int round = 0; round <= repeats; round++)
            for (int i = 0; i < cases.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                using (var scope = NewDisposeScope()) Forward(image, cases[i].Weights, cases[i].ChannelsLast);
                if (round > 0) best[i] = Math.Min(best[i], clock.Elapsed.TotalSeconds);
            }
        for (int i = 0; i < cases.Length; i++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"forward {cases[i].Name,-24} size={size} threads={get_num_threads()} seconds={best[i]:F4} vs_original_same_layout={best[i & ~1] / best[i]:F2}x vs_original_nchw={best[0] / best[i]:F2}x"));
    }

    private static Tensor[] Weights(StateDict state, bool channelsLast) =>
        state.Entries.Select(e =>
        {
            var w = tensor(e.Value.Data, e.Value.Shape);
            return channelsLast ? w.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : w;
        }).ToArray();

    private static Tensor Forward(Tensor image, Tensor[] weights, bool channelsLast)
    {
        var h = channelsLast ? image.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : image;
        for (int l = 0; l < weights.Length - 1; l++) h = nn.functional.conv2d(h, weights[l], padding: [1, 1]).relu_();
        return nn.functional.conv2d(h, weights[^1], padding: [1, 1]).add(image);
    }
}
