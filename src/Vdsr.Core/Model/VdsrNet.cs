using TorchSharp;
using TorchSharp.Modules;
using Vdsr.Core.Model.Winograd;
using static TorchSharp.torch;

namespace Vdsr.Core.Model;

/// <summary>
/// VDSR (Kim et al. 2016): bias-free 3x3 convs with ReLU, a final conv to one channel and a global
/// residual (the network predicts the missing detail of the bicubic Y). Field names mirror the
/// PyTorch original so that parameter names are `input.weight`, `residual_layer.{i}.conv.weight`
/// and `output.weight`.
/// </summary>
public sealed class VdsrNet : nn.Module<Tensor, Tensor>
{
    // The names of these fields are the PyTorch module names.
#pragma warning disable IDE1006
    private readonly Conv2d input;
    private readonly Sequential residual_layer;
    private readonly Conv2d output;
#pragma warning restore IDE1006
    private readonly Conv2d[] _convs;

    public VdsrArchitecture Architecture { get; }

    /// <summary>How <see cref="forward"/> runs the convs; fixed when the network is made (the weights stay float32).</summary>
    public ConvPlan Plan { get; }

    /// <summary>The format the convs of <see cref="forward"/> run in.</summary>
    public ConvPrecision Precision => Plan.Precision;

    /// <summary>
    /// How the hidden convs of <see cref="forward"/> run when they run in float32 without a gradient
    /// (bf16 convs and every training conv are direct).
    /// </summary>
    public ConvAlgorithm Algorithm => Plan.Algorithm;

    /// <summary>What inference runs, e.g. "fp32", "bf16" or "fp32, winograd".</summary>
    public string InferencePlan => Plan.Name;

    /// <param name="plan">How <see cref="forward"/> runs the convs (default: float32, direct).</param>
    public VdsrNet(VdsrArchitecture? architecture = null, Device? device = null, ConvPlan plan = default) : base("Net")
    {
        Plan = plan;
        Architecture = architecture ?? VdsrArchitecture.Original;
        int depth = Architecture.Depth;
        _convs = new Conv2d[depth];
        for (int l = 0; l < depth; l++)
            _convs[l] = nn.Conv2d(Architecture.InChannels(l), Architecture.OutChannels(l), 3, stride: 1, padding: 1, bias: false);
        input = _convs[0];
        output = _convs[depth - 1];
        residual_layer = nn.Sequential(
            Enumerable.Range(1, depth - 2).Select(l => ((l - 1).ToString(), (nn.Module<Tensor, Tensor>)new ConvReluBlock(_convs[l]))));
        RegisterComponents();
        ResetParameters();
        if (device is not null) this.to(device);
    }

    /// <summary>
    /// He (MSRA) init as the original: N(0, sqrt(2 / (k*k*out_channels))), drawn from
    /// <paramref name="generator"/> (libtorch's global generator when null).
    /// </summary>
    public void ResetParameters(Generator? generator = null)
    {
        using var _ = no_grad();
        foreach (var conv in _convs)
        {
            var w = conv.weight!;
            double std = Math.Sqrt(2.0 / (9.0 * w.shape[0]));
            w.normal_(0, std, generator);
        }
    }

    /// <summary>
    /// He init from a private generator seeded with <paramref name="seed"/>: the same weights whatever
    /// other threads draw from the global generator meanwhile. It first skips the numbers the convs'
    /// own default init (uniform, one per weight) takes, so a seed gives the weights it gave when
    /// it seeded the global generator before construction.
    /// </summary>
    public void ResetParameters(long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using (no_grad())
        {
            foreach (var conv in _convs)
            {
                using var skipped = empty_like(conv.weight!);
                skipped.uniform_(0, 1, generator);
            }
        }
        ResetParameters(generator);
    }

    /// <summary>Weight of conv layer <paramref name="layer"/> (0 = `input`, Depth-1 = `output`).</summary>
    public Parameter LayerWeight(int layer) => _convs[layer].weight!;

    public override Tensor forward(Tensor x) => Forward(x, Plan);

    /// <summary>The network's output with the convs run as <paramref name="plan"/> says (a training step's precision, say).</summary>
    public Tensor Forward(Tensor x, ConvPlan plan)
    {
        // Each activation is released as soon as the next exists, so inference holds about two
        // layers at a time (autograd keeps what it needs on its own).
        var h = x;
        for (int l = 0; l < _convs.Length - 1; l++)
        {
            var next = ConvRelu(h, l, plan);
            if (!ReferenceEquals(h, x)) h.Dispose();
            h = next;
        }
        var last = _convs[^1].weight!;
        if (UsesEdgeKernels(h, last) && UsesEdgeKernels(x, last) && x.dtype == ScalarType.Float32)
        {
            var y = EdgeConvs.LastPlusResidual(h, last, x);
            if (!ReferenceEquals(h, x)) h.Dispose();
            return y;
        }
        using var residual = Conv(h, _convs.Length - 1, plan);
        if (!ReferenceEquals(h, x)) h.Dispose();
        return residual.add(x);
    }

    /// <summary>
    /// Runs the net and records every layer's activation (after ReLU; the last is out + x), with
    /// the same convolutions as <see cref="forward"/>, so that the values are those a gradient sees.
    /// </summary>
    public IReadOnlyList<Tensor> ForwardWithActivations(Tensor x)
    {
        var acts = new List<Tensor>();
        var h = x;
        for (int l = 0; l < _convs.Length - 1; l++)
        {
            h = nn.functional.relu(Conv(h, l, Plan));
            acts.Add(h);
        }
        acts.Add(Conv(h, _convs.Length - 1, Plan).add(x));
        return acts;
    }

    /// <summary>
    /// libtorch 2.10's oneDNN path computes wrong input-gradients for convs with very few output
    /// channels (VDSR's 64->1 output conv; also narrow pruned layers). When a gradient will be
    /// taken, such a conv runs with its weight zero-padded to <see cref="MinTrainingOutChannels"/>
    /// outputs and the extra channels are dropped: same values, correct gradients. (The one-output
    /// conv itself runs as matrix products, <see cref="GemmConv"/>, which oneDNN does not touch.)
    /// </summary>
    public const int MinTrainingOutChannels = 16;

    /// <summary>The convs between the first and the last: the ones bf16 and Winograd apply to.</summary>
    private bool IsHidden(int layer) => layer > 0 && layer < _convs.Length - 1;

    private static bool TakesGradient(Tensor x, Tensor weight) =>
        is_grad_enabled() && (weight.requires_grad || x.requires_grad);

    private Tensor ConvRelu(Tensor x, int layer, ConvPlan plan)
    {
        var w = _convs[layer].weight!;
        bool winograd = plan.Algorithm == ConvAlgorithm.Winograd && plan.Precision == ConvPrecision.Fp32 && IsHidden(layer)
                        && x.dtype == ScalarType.Float32 && x.device_type == DeviceType.CPU && !TakesGradient(x, w);
        if (winograd) return WinogradConv.Forward(x, w, relu: true);
        if (layer == 0 && x.dtype == ScalarType.Float32 && UsesEdgeKernels(x, w))
            return EdgeConvs.FirstWithRelu(x, w, plan.Precision == ConvPrecision.Bf16 && IsHidden(1) ? ScalarType.BFloat16 : ScalarType.Float32);
        return Conv(x, layer, plan, withRelu: true);
    }

    /// <summary>The first and last convs' SIMD loops serve CPU inference in float32 (bfloat16 activations too).</summary>
    private static bool UsesEdgeKernels(Tensor x, Tensor weight) =>
        EdgeConvs.IsAccelerated && !TakesGradient(x, weight) && x.device_type == DeviceType.CPU
        && weight.dtype == ScalarType.Float32 && (x.dtype == ScalarType.Float32 || x.dtype == ScalarType.BFloat16);

    private Tensor Conv(Tensor x, int layer, ConvPlan plan, bool withRelu = false)
    {
        var w = _convs[layer].weight!;
        var dtype = plan.Precision == ConvPrecision.Bf16 && IsHidden(layer) ? ScalarType.BFloat16 : ScalarType.Float32;
        using var input = x.dtype == dtype ? null : x.to(dtype);
        using var weight = dtype == ScalarType.Float32 ? null : w.to(dtype);
        return Conv(input ?? x, weight ?? w, w, withRelu);
    }

    /// <summary>
    /// Every conv runs channels-last (NHWC): libtorch picks that oneDNN path from the strides alone
    /// (TorchSharp has no memory-format argument), and activations then stay NHWC from layer to
    /// layer. Measured against the default layout (Vdsr.Bench): 256x256 forward 1.16x faster, the
    /// batch-64 train step 1.12x. The first and last convs, with one channel in or out, run as
    /// matrix products instead (<see cref="GemmConv"/>).
    /// </summary>
    private static Tensor Conv(Tensor x, Tensor w, Tensor master, bool withRelu)
    {
        long outChannels = w.shape[0];
        Tensor y;
        if (x.dtype == ScalarType.Float32 && w.shape[1] == 1) y = GemmConv.SingleInput(x, w);
        else if (x.dtype == ScalarType.Float32 && outChannels == 1) y = GemmConv.SingleOutput(x, w);
        else if (withRelu && x.dtype == ScalarType.BFloat16 && !TakesGradient(x, master) && x.device_type == DeviceType.CPU && FusedConvRelu.IsAvailable)
            return ChannelsLastConv(x, w, fusedRelu: true);
        else if (!TakesGradient(x, master) || outChannels >= MinTrainingOutChannels) y = ChannelsLastConv(x, w, fusedRelu: false);
        else
        {
            using var padded = nn.functional.pad(w, [0, 0, 0, 0, 0, 0, 0, MinTrainingOutChannels - outChannels]);
            using var wide = ChannelsLastConv(x, padded, fusedRelu: false);
            y = wide.narrow(1, 0, outChannels);
        }
        return withRelu ? y.relu_() : y; // TorchSharp returns the same handle for in-place ops
    }

    private static Tensor ChannelsLastConv(Tensor x, Tensor w, bool fusedRelu)
    {
        // For one channel the strides decide too: the image itself must look channels-last or the
        // first conv runs NCHW and the second converts its whole input.
        using var weight = ChannelsLast.Of(w);
        using var input = ChannelsLast.Of(x);
        return fusedRelu ? FusedConvRelu.Forward(input, weight) : nn.functional.conv2d(input, weight, padding: [1, 1]);
    }

    private sealed class ConvReluBlock : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006
        private readonly Conv2d conv;
#pragma warning restore IDE1006

        public ConvReluBlock(Conv2d conv) : base("Conv_ReLU_Block")
        {
            this.conv = conv;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => nn.functional.relu(conv.forward(x));
    }
}
