using Xunit.Abstractions;
using Vdsr.Core.Inference;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Inference;

public class TiledInferenceTests
{
    private readonly ITestOutputHelper _output;

    public TiledInferenceTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureInitialized();
    }

    private static float[] SmoothImage(int height, int width, int seed)
    {
        var random = new Random(seed);
        var image = new float[height * width];
        double fx = 0.02 + random.NextDouble() * 0.05, fy = 0.03 + random.NextDouble() * 0.05;
        for (int r = 0; r < height; r++)
        for (int c = 0; c < width; c++)
            image[r * width + c] = (float)(0.5 + 0.3 * Math.Sin(fx * c) * Math.Cos(fy * r) + 0.1 * random.NextDouble());
        return image;
    }

    [Fact]
    public void TiledOutputEqualsWholeImageOn512x512()
    {
        using var net = Trainer.CreateNetwork(VdsrArchitecture.Original, seed: 7);
        var image = SmoothImage(512, 512, 1);
        var whole = new TiledInference(new TorchTileNetwork(net, CPU), new TilingOptions { MemoryBudgetBytes = 4L << 30 }).Run(image, 512, 512);
        var tiles = 0;
        var tiled = new TiledInference(new TorchTileNetwork(net, CPU), new TilingOptions { TileSize = 200 }).Run(image, 512, 512, (_, total) => tiles = total);
        Assert.Equal(9, tiles);
        double maxDiff = whole.Zip(tiled, (a, b) => Math.Abs((double)a - b)).Max();
        _output.WriteLine($"512x512, 9 tiles of 200 + halo 20: max |tiled - whole| = {maxDiff:E3}");
        Assert.True(maxDiff <= 1e-5, $"max |tiled - whole| = {maxDiff:E3}");
    }

    [Fact]
    public void HaloSmallerThanReceptiveFieldChangesTheResult()
    {
        // Guards the test above: seams must show when the halo is too small.
        using var net = Trainer.CreateNetwork(VdsrArchitecture.Uniform(20, 8), seed: 7);
        var image = SmoothImage(96, 96, 2);
        var whole = new TiledInference(new TorchTileNetwork(net, CPU)).Run(image, 96, 96);
        var seams = new TiledInference(new TorchTileNetwork(net, CPU), new TilingOptions { TileSize = 32, Halo = 4 }).Run(image, 96, 96);
        var exact = new TiledInference(new TorchTileNetwork(net, CPU), new TilingOptions { TileSize = 32 }).Run(image, 96, 96);
        Assert.True(whole.Zip(seams, (a, b) => Math.Abs(a - b)).Max() > 1e-4);
        Assert.True(whole.Zip(exact, (a, b) => Math.Abs(a - b)).Max() <= 1e-5);
    }

    [Fact]
    public void TileSizeFollowsTheMemoryBudget()
    {
        using var net = new VdsrNet();
        var small = new TiledInference(new TorchTileNetwork(net, CPU), new TilingOptions { MemoryBudgetBytes = 64L << 20 });
        int core = small.CoreTileSize(2160, 3840);
        long tilePixels = (long)(core + 2 * small.Halo) * (core + 2 * small.Halo);
        Assert.InRange(tilePixels * small.BytesPerPixel, (32L << 20), 64L << 20);
        Assert.Equal(100, new TiledInference(new TorchTileNetwork(net, CPU)).CoreTileSize(100, 80));
    }
}
