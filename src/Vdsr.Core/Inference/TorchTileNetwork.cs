using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Inference;

/// <summary>A <see cref="VdsrNet"/> on a libtorch device, run without gradients.</summary>
public sealed class TorchTileNetwork(VdsrNet net, Device device) : ITileNetwork
{
    public VdsrArchitecture Architecture => net.Architecture;

    public string Plan => net.InferencePlan;

    public void Forward(float[] input, int height, int width, float[] output)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        net.eval();
        var tile = tensor(input, [1, 1, height, width]).to(device);
        var result = net.forward(tile).cpu().contiguous();
        result.data<float>().CopyTo(output);
    }
}
