using System.Diagnostics;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Inference;

/// <summary>
/// Times whole-image forwards of several networks on the same input, alternating between them so
/// that the load of a shared machine hits each alike; one warm-up round, then the best of
/// <c>repeats</c>.
/// </summary>
public static class ForwardTiming
{
    public static double[] BestSeconds(IReadOnlyList<VdsrNet> nets, int size, int repeats, Device device)
    {
        using var _ = no_grad();
        using var input = rand(1, 1, size, size, generator: new TorchSharp.torch.Generator(0)).to(device);
        var best = Enumerable.Repeat(double.MaxValue, nets.Count).ToArray();
        for (int round = 0; round <= repeats; round++)
        {
            for (int i = 0; i < nets.Count; i++)
            {
                nets[i].eval();
                var clock = Stopwatch.StartNew();
                using (var output = nets[i].forward(input))
                    output.cpu().Dispose(); // waits for an asynchronous device
                if (round > 0) best[i] = Math.Min(best[i], clock.Elapsed.TotalSeconds);
            }
        }
        return best;
    }
}
