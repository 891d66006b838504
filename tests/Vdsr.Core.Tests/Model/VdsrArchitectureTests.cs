using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Tests.Model;

public class VdsrArchitectureTests
{
    private static Dictionary<string, long[]> Shapes(params int[] hiddenWidths)
    {
        var architecture = new VdsrArchitecture(hiddenWidths);
        return Enumerable.Range(0, architecture.Depth).ToDictionary(architecture.LayerName, architecture.WeightShape);
    }

    [Fact]
    public void FromWeightShapesRecoversPrunedWidths()
    {
        var shapes = Shapes(32, 17, 5, 64);
        Assert.Equal(["input.weight", "residual_layer.0.conv.weight", "residual_layer.1.conv.weight", "residual_layer.2.conv.weight", "output.weight"], shapes.Keys);
        var architecture = VdsrArchitecture.FromWeightShapes(shapes);
        Assert.Equal([32, 17, 5, 64], architecture.HiddenWidths);
        Assert.Equal(5, architecture.Depth);
        Assert.True(VdsrArchitecture.FromWeightShapes(Shapes(Enumerable.Repeat(64, 19).ToArray())).IsOriginal);
    }

    [Fact]
    public void MissingOrMisshapenLayersAreCheckpointErrors()
    {
        var missing = Shapes(8, 8, 8);
        missing.Remove("output.weight");
        Assert.Contains("missing tensor 'output.weight'", Assert.Throws<CheckpointFormatException>(() => VdsrArchitecture.FromWeightShapes(missing)).Message);

        var gap = Shapes(8, 8, 8);
        gap.Remove("residual_layer.0.conv.weight");
        gap["residual_layer.5.conv.weight"] = [8, 8, 3, 3];
        Assert.Throws<CheckpointFormatException>(() => VdsrArchitecture.FromWeightShapes(gap));

        var flat = Shapes(8, 8);
        flat["input.weight"] = [8, 9];
        Assert.Contains("expected 4 dimensions", Assert.Throws<CheckpointFormatException>(() => VdsrArchitecture.FromWeightShapes(flat)).Message);
    }
}
