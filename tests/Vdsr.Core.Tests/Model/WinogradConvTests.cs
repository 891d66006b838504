using TorchSharp;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Model.Winograd;
using Vdsr.Core.Pruning;
using Vdsr.Core.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Model;

/// <summary>
/// <see cref="WinogradConv"/> equals libtorch's conv2d (padding 1) within float32 rounding, for
/// both vector widths, any channel counts and image sizes, and chained through the pretrained
/// VDSR it reproduces PyTorch's golden output as closely as the direct conv must.
/// </summary>
public class WinogradConvTests
{
    private readonly ITestOutputHelper _output;

    public WinogradConvTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureInitialized();
    }

    public static TheoryData<int, int, int, int, int, bool> Shapes => new()
    {
        { 1, 64, 37, 29, 64, true },
        { 2, 32, 8, 8, 32, false },
        { 1, 17, 5, 3, 5, true },
        { 1, 64, 1, 1, 64, false },
        { 1, 5, 9, 14, 17, false },
        { 3, 8, 4, 4, 8, true },
        { 1, 96, 13, 6, 80, false },
        { 1, 1, 7, 2, 1, false },
        { 1, 32, 41, 38, 32, true },  // a 0.5-pruned hidden layer
        { 1, 33, 21, 18, 62, true },  // uneven widths, as total-sparsity pruning leaves them
        { 2, 12, 10, 13, 33, false },
        { 1, 25, 17, 9, 17, true },
    };

    /// <summary>
    /// The tolerance is relative to the largest conv2d(|x|, |w|), the sum of the magnitudes of the
    /// terms behind an output: float32 rounding error of a sum is bounded by a multiple of eps
    /// (6e-8) times that, and Winograd's transforms mix a 6x6 patch, so the largest magnitude nearby
    /// is the fair scale. 1.5e-6 is 25 eps; these shapes give at most 3.2e-7 with the chosen points
    /// (printed), while a wrong coefficient or misplaced tile is off by the order of the values.
    /// Both vector widths do the same float operations in the same order per channel, so they agree
    /// bit for bit (and the AVX-512 path runs, emulated, on machines without it).
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void EqualsConv2d(int batch, int inChannels, int height, int width, int outChannels, bool relu)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var generator = new Generator(7);
        var x = rand(batch, inChannels, height, width, generator: generator) * 2 - 1;
        var w = randn(outChannels, inChannels, 3, 3, generator: generator) * Math.Sqrt(2.0 / (9 * inChannels));
        var expected = nn.functional.conv2d(x, w, padding: [1, 1]);
        if (relu) expected = nn.functional.relu(expected);
        var magnitude = nn.functional.conv2d(x.abs(), w.abs(), padding: [1, 1]);
        var results = new List<Tensor>();
        foreach (var widthKind in new[] { WinogradConv.Width.Avx512, WinogradConv.Width.Avx2, WinogradConv.Width.Auto })
        {
            var actual = widthKind == WinogradConv.Width.Auto
                ? WinogradConv.Forward(x, w, relu)
                : WinogradConv.Forward(x, w, relu, widthKind);
            Assert.Equal(expected.shape, actual.shape);
            double relative = (actual - expected).abs().max().item<float>() / (double)magnitude.max().item<float>();
            _output.WriteLine($"{widthKind}: max |diff| / max conv(|x|, |w|) = {relative:E2}");
            Assert.True(relative <= 1.5e-6, $"{widthKind}: max |diff| / max conv(|x|, |w|) = {relative:E3} > 1.5e-6");
            results.Add(actual);
        }
        Assert.True(results[0].equal(results[1]).all().item<bool>(), "AVX-512 and AVX2 results differ");
    }

    /// <summary>
    /// Against a float64 conv on a 64->64 layer with VDSR-like data (ReLU'd input, He-scaled
    /// weights), the error is within a few times the direct float32 conv's. The points
    /// {0, +-5/8, +-3/2} give an RMS relative error of about 6.5e-7 (direct: 1.6e-7); Lavin and
    /// Gray's {0, +-1, +-2} give 1.4e-6 and fail the 1e-6 limit, which therefore guards the choice.
    /// </summary>
    [Fact]
    public void ErrorAgainstFloat64IsSmall()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var generator = new Generator(11);
        var x = nn.functional.relu(randn(1, 64, 64, 64, generator: generator));
        var w = randn(64, 64, 3, 3, generator: generator) * Math.Sqrt(2.0 / (9 * 64));
        var exact = nn.functional.conv2d(x.to(ScalarType.Float64), w.to(ScalarType.Float64), padding: [1, 1]);
        var error = WinogradConv.Forward(x, w, relu: false).to(ScalarType.Float64) - exact;
        var directError = nn.functional.conv2d(x, w, padding: [1, 1]).to(ScalarType.Float64) - exact;
        double rms = (error.square().mean().sqrt() / exact.square().mean().sqrt()).item<double>();
        double max = error.abs().max().item<double>() / exact.abs().max().item<double>();
        double directRms = (directError.square().mean().sqrt() / exact.square().mean().sqrt()).item<double>();
        _output.WriteLine($"vs float64: RMS relative {rms:E2} (direct conv {directRms:E2}), max |error| / max |y| {max:E2}");
        Assert.True(rms <= 1e-6, $"RMS relative error {rms:E3} > 1e-6");
        Assert.True(max <= 4e-6, $"max |error| / max |y| {max:E3} > 4e-6");
    }

    [Fact]
    public void OutputHasChannelsLastStrides()
    {
        using var scope = NewDisposeScope();
        foreach (int outChannels in new[] { 64, 5 })
        {
            var y = WinogradConv.Forward(rand(2, 16, 7, 10), randn(outChannels, 16, 3, 3), relu: false);
            Assert.Equal(new long[] { 2, outChannels, 7, 10 }, y.shape);
            Assert.Equal(new long[] { 7 * 10 * outChannels, 1, 10 * outChannels, outChannels }, y.stride());
        }
    }

    /// <summary>Channels-last input, a strided view and a gradient-tracking weight give the same result as a plain NCHW input.</summary>
    [Fact]
    public void ReadsAnyInputLayout()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var big = rand(3, 24, 11, 12, generator: generator);
        var w = randn(24, 24, 3, 3, generator: generator).requires_grad_(true);
        var x = big.narrow(0, 1, 1);                             // storage offset, contiguous
        var reference = WinogradConv.Forward(x.clone(), w, relu: false);
        var channelsLast = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        var strided = big.transpose(2, 3).contiguous().transpose(2, 3).narrow(0, 1, 1);
        foreach (var input in new[] { x, channelsLast, strided })
            Assert.True(WinogradConv.Forward(input, w, relu: false).equal(reference).all().item<bool>());
        Assert.False(reference.requires_grad);
    }

    /// <summary>Every tile is computed by one thread in a fixed order, so the thread count does not change a bit.</summary>
    [Fact]
    public void ThreadCountDoesNotChangeTheResult()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var x = rand(1, 32, 70, 45, generator: generator);
        var w = randn(32, 32, 3, 3, generator: generator);
        int threads = get_num_threads();
        try
        {
            set_num_threads(1);
            var one = WinogradConv.Forward(x, w, relu: true);
            set_num_threads(2);
            var two = WinogradConv.Forward(x, w, relu: true);
            Assert.True(one.equal(two).all().item<bool>());
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void RejectsWrongShapes()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => WinogradConv.Forward(rand(1, 8, 5, 5), randn(8, 4, 3, 3), relu: false));
        Assert.Throws<ArgumentException>(() => WinogradConv.Forward(rand(1, 8, 5, 5), randn(8, 8, 5, 5), relu: false));
        Assert.Throws<ArgumentException>(() => WinogradConv.Forward(rand(8, 5, 5), randn(8, 8, 3, 3), relu: false));
        Assert.Throws<ArgumentException>(() => WinogradConv.Forward(rand(1, 8, 5, 5, dtype: ScalarType.Float64), randn(8, 8, 3, 3), relu: false));
    }

    /// <summary>
    /// Pruned networks (every layer halved, and a total-sparsity one whose layers keep 1 to 62
    /// filters) give the same output with Winograd hidden convs as with the direct conv, within
    /// the limit the dense network's Winograd output is held to against PyTorch's.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PrunedNetworkMatchesDirectConv(bool total)
    {
        using var scope = NewDisposeScope();
        string path = TestPaths.InRepo("models", "model_epoch_50.pth");
        var rule = total
            ? new PruneRule { TotalSparsity = 0.5, OpTypes = [PrunableLayers.ConvType] }
            : new PruneRule { SparsityPerLayer = 0.5, OpTypes = [PrunableLayers.ConvType] };
        var pruned = Pruner.Prune(CheckpointFile.Load(path), new PruningSettings { Config = new PruneConfig([rule]) }, path);
        using var net = ModelStore.ToNet(pruned.Weights, path);
        net.eval();
        if (!total) Assert.All(net.Architecture.HiddenWidths, w => Assert.Equal(32, w));
        else Assert.True(net.Architecture.HiddenWidths.Distinct().Count() > 3, $"{net.Architecture}");
        var input = Npy.Read(TestPaths.Fixture("golden", "butterfly_x4_input_f32.npy"));
        using var _ = no_grad();
        var x = torch.tensor(input.Data, input.Shape);
        var direct = net.forward(x); // the default plan: fp32, direct
        var winograd = net.Forward(x, new ConvPlan(ConvPrecision.Fp32, ConvAlgorithm.Winograd));
        double maxDiff = (winograd - direct).abs().max().item<float>();
        _output.WriteLine($"{net.Architecture}: max |Winograd - direct| = {maxDiff:E3}");
        Assert.True(maxDiff <= 2e-5, $"max |diff| {maxDiff:E3} > 2e-5");
    }

    /// <summary>
    /// The pretrained VDSR with its 18 hidden 64->64 layers run by <see cref="WinogradConv"/> (the
    /// first and last by <see cref="GemmConv"/>) reproduces PyTorch's golden butterfly x4 output
    /// within the limit the direct path is held to (GoldenForwardTests.FullImageForwardMatchesPyTorch).
    /// </summary>
    [Fact]
    public void PretrainedNetworkMatchesGoldenOutput()
    {
        using var scope = NewDisposeScope();
        using var net = ModelStore.LoadNet(TestPaths.InRepo("models", "model_epoch_50.pth"));
        net.eval();
        var input = Npy.Read(TestPaths.Fixture("golden", "butterfly_x4_input_f32.npy"));
        var expected = Npy.Read(TestPaths.Fixture("golden", "butterfly_x4_im_h_y_raw_f32.npy"));
        Assert.Equal(new long[] { 1, 1, 252, 252 }, input.Shape);
        Assert.Equal(new long[] { 252, 252 }, expected.Shape);

        using var _ = no_grad();
        var x = torch.tensor(input.Data, input.Shape);
        var h = GemmConv.SingleInput(x, net.LayerWeight(0)).relu_();
        for (int layer = 1; layer < 19; layer++)
            h = WinogradConv.Forward(h, net.LayerWeight(layer), relu: true);
        var y = GemmConv.SingleOutput(h, net.LayerWeight(19)) + x;

        double maxDiff = (y.reshape(252, 252) - torch.tensor(expected.Data, expected.Shape)).abs().max().item<float>();
        _output.WriteLine($"butterfly x4, Winograd F(4x4) hidden layers: max |diff| vs PyTorch = {maxDiff:E3}");
        Assert.True(maxDiff <= 2e-5, $"max |diff| {maxDiff:E3} > 2e-5");
    }
}
