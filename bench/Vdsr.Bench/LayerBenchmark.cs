using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace Vdsr.Bench;

/// <summary>
/// Time of each kind of VDSR layer on its own (channels-last, as inference runs them): the 1->C
/// input conv, one CxC hidden conv (C = 64, or a pruned width) with the ReLU apart or fused, the C->1 output conv and a ReLU, so that a whole-net gap
/// to PyTorch can be traced to a layer. net_bf16_steps times the bf16 forward's three parts inside
/// one forward (first conv, 18 fused hidden convs, last conv), where the edge convs follow libtorch's
/// ops, against the parts on their own.
/// </summary>
internal static class LayerBenchmark
{
    public static void Run(int size, int threads, int repeats, int channels = 64)
    {
        set_num_threads(threads);
        using var _ = no_grad();
        manual_seed(0);
        using var x1 = ToChannelsLast(rand(1, 1, size, size));
        using var x = ToChannelsLast(rand(1, channels, size, size));
        using var w1 = ToChannelsLast(randn(channels, 1, 3, 3));
        using var w = ToChannelsLast(randn(channels, channels, 3, 3));
        using var wo = ToChannelsLast(randn(1, channels, 3, 3));
        using var xb = x.to(ScalarType.BFloat16);
        using var wb = w.to(ScalarType.BFloat16);
        using var net = new Vdsr.Core.Model.VdsrNet(Vdsr.Core.Model.VdsrArchitecture.Uniform(20, channels));
        net.eval();
        Tensor Net(Vdsr.Core.Model.ConvPrecision precision, Vdsr.Core.Model.ConvAlgorithm algorithm)
        {
            return net.Forward(x1, new Vdsr.Core.Model.ConvPlan(precision, algorithm));
        }
        var cases = new (string Name, Func<Tensor> Run)[]
        {
            ("net_fp32", () => Net(Vdsr.Core.Model.ConvPrecision.Fp32, Vdsr.Core.Model.ConvAlgorithm.Direct)),
            ("net_winograd", () => Net(Vdsr.Core.Model.ConvPrecision.Fp32, Vdsr.Core.Model.ConvAlgorithm.Winograd)),
            ("net_bf16", () => Net(Vdsr.Core.Model.ConvPrecision.Bf16, Vdsr.Core.Model.ConvAlgorithm.Direct)),
            ("first_fp32", () => nn.functional.conv2d(x1, w1, padding: [1, 1])),
            ("first_gemm_fp32", () => Vdsr.Core.Model.GemmConv.SingleInput(x1, w1)),
            ("first_simd_fp32", () => Vdsr.Core.Model.EdgeConvs.FirstWithRelu(x1, w1)),
            ("hidden_fp32", () => nn.functional.conv2d(x, w, padding: [1, 1])),
            ("hidden_bf16", () => nn.functional.conv2d(xb, wb, padding: [1, 1])),
            ("last_fp32", () => nn.functional.conv2d(x, wo, padding: [1, 1])),
            ("last_tapsum_fp32", () => Vdsr.Core.Model.GemmConv.SingleOutput(x, wo)),
            ("last_simd_plus_residual_fp32", () => Vdsr.Core.Model.EdgeConvs.LastPlusResidual(x, wo, x1)),
            ("last_simd_plus_residual_bf16", () => Vdsr.Core.Model.EdgeConvs.LastPlusResidual(xb, wo, x1)),
            ("relu_fp32", () => x.clone().relu_()),
            ("to_bf16", () => x.to(ScalarType.BFloat16)),
            ("chain18_fp32", () => Chain(x, w, 18)),
            ("hidden_relu_fp32", () => nn.functional.conv2d(x, w, padding: [1, 1]).relu_()),
            ("hidden_relu_bf16", () => nn.functional.conv2d(xb, wb, padding: [1, 1]).relu_()),
            ("chain18_bf16", () => Chain(xb, wb, 18)),
            ("hidden_fused_relu_fp32", () => Vdsr.Core.Model.FusedConvRelu.Forward(x, w)),
            ("hidden_fused_relu_bf16", () => Vdsr.Core.Model.FusedConvRelu.Forward(xb, wb)),
            ("chain18_fused_bf16", () => Chain(xb, wb, 18, fused: true)),
            ("chain18_fused_bf16_weights_per_layer", () => ChainConverting(xb, w, 18)),
        };
        NetSteps(x1, w1, w, wo, repeats, channels, size, threads);
        foreach (var (name, run) in cases)
        {
            double best = double.MaxValue;
            for (int r = 0; r <= repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                using (run()) { }
                if (r > 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"csharp layer {name} channels={channels} size={size} threads={threads} ms={best * 1e3:F2}"));
        }
    }

    private static void NetSteps(Tensor x1, Tensor w1, Tensor w, Tensor wo, int repeats, int channels, int size, int threads)
    {
        double first = double.MaxValue, hidden = double.MaxValue, last = double.MaxValue, total = double.MaxValue;
        for (int r = 0; r <= repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            var h = Vdsr.Core.Model.EdgeConvs.FirstWithRelu(x1, w1, ScalarType.BFloat16);
            double t1 = clock.Elapsed.TotalSeconds;
            var y = ChainConverting(h, w, 18, disposeInput: true);
            double t2 = clock.Elapsed.TotalSeconds;
            using (Vdsr.Core.Model.EdgeConvs.LastPlusResidual(y, wo, x1)) { }
            double t3 = clock.Elapsed.TotalSeconds;
            y.Dispose();
            if (r == 0) continue;
            first = Math.Min(first, t1); hidden = Math.Min(hidden, t2 - t1); last = Math.Min(last, t3 - t2); total = Math.Min(total, t3);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"csharp layer net_bf16_steps channels={channels} size={size} threads={threads} first_ms={first * 1e3:F2} hidden18_ms={hidden * 1e3:F2} last_ms={last * 1e3:F2} total_ms={total * 1e3:F2}"));
    }

    private static Tensor ChainConverting(Tensor x, Tensor w32, int layers, bool disposeInput = false)
    {
        var h = x;
        for (int l = 0; l < layers; l++)
        {
            using var wb = w32.to(ScalarType.BFloat16);
            using var wl = Vdsr.Core.Model.ChannelsLast.Of(wb);
            using var hl = Vdsr.Core.Model.ChannelsLast.Of(h);
            var next = Vdsr.Core.Model.FusedConvRelu.Forward(hl, wl);
            if (!ReferenceEquals(h, x) || disposeInput) h.Dispose();
            h = next;
        }
        return h;
    }

    private static Tensor Chain(Tensor x, Tensor w, int layers, bool fused = false)
    {
        var h = x;
        for (int l = 0; l < layers; l++)
        {
            var next = fused ? Vdsr.Core.Model.FusedConvRelu.Forward(h, w) : nn.functional.conv2d(h, w, padding: [1, 1]).relu_();
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
