using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace Vdsr.Bench;

/// <summary>
/// Time of each kind of VDSR layer on its own (channels-last, as inference runs them): the 1->64
/// input conv, one 64->64 hidden conv, the 64->1 output conv and a ReLU, so that a whole-net gap
/// to PyTorch can be traced to a layer.
/// </summary>
internal static class LayerBenchmark
{
    public static void Run(int size, int threads, int repeats)
    {
        set_num_threads(threads);
        using var _ = no_grad();
        manual_seed(0);
        using var x1 = ToChannelsLast(rand(1, 1, size, size));
        using var x = ToChannelsLast(rand(1, 64, size, size));
        using var w1 = ToChannelsLast(randn(64, 1, 3, 3));
        using var w = ToChannelsLast(randn(64, 64, 3, 3));
        using var wo = ToChannelsLast(randn(1, 64, 3, 3));
        using var xb = x.to(ScalarType.BFloat16);
        using var wb = w.to(ScalarType.BFloat16);
        var cases = new (string Name, Func<Tensor> Run)[]
        {
            ("first_fp32", () => nn.functional.conv2d(x1, w1, padding: [1, 1])),
            ("first_gemm_fp32", () => Vdsr.Core.Model.GemmConv.SingleInput(x1, w1)),
            ("hidden_fp32", () => nn.functional.conv2d(x, w, padding: [1, 1])),
            ("hidden_bf16", () => nn.functional.conv2d(xb, wb, padding: [1, 1])),
            ("last_fp32", () => nn.functional.conv2d(x, wo, padding: [1, 1])),
            ("last_tapsum_fp32", () => Vdsr.Core.Model.GemmConv.SingleOutput(x, wo)),
            ("relu_fp32", () => x.clone().relu_()),
            ("to_bf16", () => x.to(ScalarType.BFloat16)),
            ("chain18_fp32", () => Chain(x, w, 18)),
            ("hidden_relu_fp32", () => nn.functional.conv2d(x, w, padding: [1, 1]).relu_()),
        };
        foreach (var (name, run) in cases)
        {
            double best = double.MaxValue;
            for (int r = 0; r <= repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                using (run()) { }
                if (r > 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"csharp layer {name} size={size} threads={threads} ms={best * 1e3:F2}"));
        }
    }

    private static Tensor Chain(Tensor x, Tensor w, int layers)
    {
        var h = x;
        for (int l = 0; l < layers; l++)
        {
            var next = nn.functional.conv2d(h, w, padding: [1, 1]).relu_();
            if (!ReferenceEquals(h, x)) h.Dispose();
            h = next;
        }
        return h;
    }

    /// <summary>A fresh random tensor in channels-last memory (the random one is released).</summary>
    private static Tensor ToChannelsLast(Tensor t)
    {
        using (t) return Vdsr.Core.Model.ChannelsLast.Of(t);
    }
}
