using TorchSharp;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Training;

/// <summary>
/// A network made from a seed has the same weights whatever other threads do with libtorch's
/// global random generator (xunit runs test classes in parallel).
/// </summary>
public class SeededNetworkTests
{
    public SeededNetworkTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void SameSeedGivesSameWeightsWhileAnotherThreadDrawsRandomNumbers()
    {
        var architecture = VdsrArchitecture.Uniform(6, 16);
        var expected = Weights(architecture, seed: 42);
        using var stop = new CancellationTokenSource();
        var noise = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                random.manual_seed(Environment.TickCount64);
                using var r = randn(16, 16); // small: other tests measure the process's resident size
            }
        });
        noise.Start();
        try
        {
            for (int i = 0; i < 50; i++)
            {
                var again = Weights(architecture, seed: 42);
                for (int l = 0; l < expected.Length; l++)
                    Assert.True(expected[l].SequenceEqual(again[l]), $"attempt {i}: layer {l} differs");
            }
        }
        finally
        {
            stop.Cancel();
            noise.Join();
        }
    }

    [Fact]
    public void ASeedKeepsTheWeightsItGaveWhenItSeededTheGlobalGenerator()
    {
        // Values of manual_seed(seed) followed by construction (the way networks were made before).
        using var net = Trainer.CreateNetwork(VdsrArchitecture.Original, seed: 1234);
        var first = net.LayerWeight(0).data<float>().ToArray();
        var last = net.LayerWeight(19).data<float>().ToArray();
        Assert.Equal(new[] { -0.0023232352f, 0.06990811f, 0.06569115f }, first.Take(3));
        Assert.Equal(new[] { 0.07992665f, 0.013917472f }, first.TakeLast(2));
        Assert.Equal(new[] { 0.73859566f, 0.70228064f, -0.047788206f }, last.Take(3));
        Assert.Equal(new[] { 0.1532175f, -0.121583715f }, last.TakeLast(2));
    }

    [Fact]
    public void DifferentSeedsGiveDifferentWeights()
    {
        var architecture = VdsrArchitecture.Uniform(4, 8);
        Assert.False(Weights(architecture, 1)[0].SequenceEqual(Weights(architecture, 2)[0]));
    }

    private static float[][] Weights(VdsrArchitecture architecture, long seed)
    {
        using var net = Trainer.CreateNetwork(architecture, seed);
        return Enumerable.Range(0, architecture.Depth).Select(l => net.LayerWeight(l).data<float>().ToArray()).ToArray();
    }
}
