using TorchSharp;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Model;

public class VdsrNetTests
{
    public VdsrNetTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void ParameterNamesAndCountMatchPyTorch()
    {
        using var net = new VdsrNet();
        var names = net.named_parameters().Select(p => p.name).ToArray();
        var expected = new[] { "input.weight" }
            .Concat(Enumerable.Range(0, 18).Select(i => $"residual_layer.{i}.conv.weight"))
            .Append("output.weight");
        Assert.Equal(expected.OrderBy(s => s, StringComparer.Ordinal), names.OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(664_704, net.parameters().Sum(p => p.numel()));
        Assert.Equal(664_704, VdsrArchitecture.Original.ParameterCount);
    }

    [Fact]
    public void OutputHasInputShape()
    {
        using var net = new VdsrNet(VdsrArchitecture.Uniform(5, 8));
        using var x = rand(2, 1, 13, 17);
        using var y = net.forward(x);
        Assert.Equal(new long[] { 2, 1, 13, 17 }, y.shape);
    }
}
