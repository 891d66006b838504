using System.Globalization;
using Vdsr.Core.Checkpoints;

namespace Vdsr.Core.Tests.Checkpoints;

/// <summary>The four published forms of the pretrained model all read to the same, exact weights.</summary>
public class ReferenceCheckpointTests
{
    public static TheoryData<string, CheckpointFormat, int?> Files => new()
    {
        { "models/model_epoch_50.pth", CheckpointFormat.TorchLegacy, 50 },
        { "tests/fixtures/checkpoints/model_epoch_50_zip.pth", CheckpointFormat.TorchZip, 50 },
        { "tests/fixtures/checkpoints/vdsr_state_dict.pth", CheckpointFormat.TorchZip, null },
        { "tests/fixtures/checkpoints/vdsr_pretrained.safetensors", CheckpointFormat.Safetensors, null },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadsExactPublishedWeights(string relativePath, CheckpointFormat format, int? epoch)
    {
        string path = TestPaths.InRepo(relativePath.Split('/'));
        Assert.Equal(format, CheckpointFile.DetectFormat(path));

        var state = CheckpointFile.Load(path);

        Assert.Equal(epoch, state.Epoch);
        var expected = ReferenceWeights.Load();
        Assert.Equal(20, expected.Count);
        Assert.Equal(expected.Select(e => e.Name).Order(StringComparer.Ordinal), state.Names.Order(StringComparer.Ordinal));
        foreach (var e in expected)
        {
            var tensor = state[e.Name];
            Assert.Equal(e.Shape, tensor.Shape);
            Assert.True(e.Sha256 == ReferenceWeights.Sha256Hex(tensor.Data), $"{e.Name}: sha256 differs");
            Assert.Equal(e.Sum, ReferenceWeights.Sum(tensor.Data));
            Assert.Equal(float.Parse(e.AbsMax, CultureInfo.InvariantCulture), ReferenceWeights.AbsMax(tensor.Data));
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ListsWeightsInLayerOrder(string relativePath, CheckpointFormat format, int? epoch)
    {
        _ = (format, epoch);
        var state = CheckpointFile.Load(TestPaths.InRepo(relativePath.Split('/')));
        Assert.Equal(Core.Model.VdsrArchitecture.Original.ParameterNames, state.Entries.Select(e => e.Key));
    }
}
