using TorchSharp;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Checkpoints;

public class ProjectFormatRoundTripTests
{
    public ProjectFormatRoundTripTests() => TorchRuntime.EnsureInitialized();

    private static void AssertSameTensors(StateDict expected, StateDict actual)
    {
        Assert.Equal(expected.Entries.Select(e => e.Key), actual.Entries.Select(e => e.Key));
        foreach (var (name, tensor) in expected.Entries)
        {
            Assert.Equal(tensor.Shape, actual[name].Shape);
            Assert.True(ReferenceWeights.Sha256Hex(tensor.Data) == ReferenceWeights.Sha256Hex(actual[name].Data), $"{name} differs");
        }
    }

    private static void AssertSameForward(VdsrNet a, VdsrNet b)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = rand(1, 1, 29, 31, generator: new Generator(7));
        Assert.True(a.forward(x).equal(b.forward(x)).all().item<bool>(), "forward outputs differ");
    }

    [Fact]
    public void OriginalModelSurvivesSaveAndLoadBitForBit()
    {
        using var temp = new TempFolder();
        var original = CheckpointFile.Load(TestPaths.InRepo("models", "model_epoch_50.pth"));
        string path = temp.File("original.vdsr.safetensors");

        CheckpointFile.Save(path, original);
        var reloaded = CheckpointFile.Load(path);

        Assert.Equal(CheckpointFormat.Vdsr, CheckpointFile.DetectFormat(path));
        Assert.Equal(50, reloaded.Epoch);
        Assert.Equal(string.Join(",", Enumerable.Repeat(64, 19)), reloaded.Metadata[VdsrCheckpointMetadata.HiddenWidthsKey]);
        AssertSameTensors(original, reloaded);
        using var a = ModelStore.ToNet(original, "original");
        using var b = ModelStore.LoadNet(path);
        AssertSameForward(a, b);
        Assert.Equal([System.IO.Path.GetFileName(path)], Directory.GetFiles(temp.Path).Select(System.IO.Path.GetFileName));
    }

    [Fact]
    public void PrunedNetworkWithOptimizerStateAndMetadataRoundTrips()
    {
        using var temp = new TempFolder();
        var widths = Enumerable.Repeat(32, 19).ToArray();
        widths[5] = 17; // one narrower layer, as L1 pruning leaves them
        var architecture = new VdsrArchitecture(widths);
        using var net = Trainer.CreateNetwork(architecture, seed: 11);
        var state = ModelStore.ToStateDict(net, epoch: 7);
        var rng = new Random(3);
        foreach (var name in architecture.ParameterNames)
        {
            var shape = state[name].Shape;
            var momentum = Enumerable.Range(0, (int)state[name].ElementCount).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
            state.Add(OptimizerTensors.MomentumName(name), new TensorData(shape, momentum));
        }
        state.Metadata["optimizer"] = "sgd";
        state.Metadata["learning_rate"] = "0.1";
        string path = temp.File("pruned.safetensors");

        CheckpointFile.Save(path, state);
        var reloaded = CheckpointFile.Load(path);

        Assert.Equal(7, reloaded.Epoch);
        Assert.Equal("sgd", reloaded.Metadata["optimizer"]);
        Assert.Equal("0.1", reloaded.Metadata["learning_rate"]);
        Assert.Equal(string.Join(",", widths), reloaded.Metadata[VdsrCheckpointMetadata.HiddenWidthsKey]);
        AssertSameTensors(state, reloaded);
        Assert.Equal(20, OptimizerTensors.Momentum(reloaded).Count);
        Assert.Equal(architecture, ModelStore.ArchitectureOf(reloaded, path));
        using var loaded = ModelStore.ToNet(reloaded, path);
        Assert.Equal(architecture, loaded.Architecture);
        AssertSameForward(net, loaded);
    }

    [Fact]
    public void ConvertsLegacyToPlainSafetensorsIdenticalToThePublishedOne()
    {
        using var temp = new TempFolder();
        string path = temp.File("converted.safetensors");

        var read = CheckpointFile.Convert(TestPaths.InRepo("models", "model_epoch_50.pth"), path, CheckpointFormat.Safetensors);

        Assert.Equal(CheckpointFormat.Safetensors, CheckpointFile.DetectFormat(path));
        var converted = CheckpointFile.Load(path);
        Assert.Equal(50, converted.Epoch);
        AssertSameTensors(read, converted);
        AssertSameTensors(CheckpointFile.Load(TestPaths.Fixture("checkpoints", "vdsr_pretrained.safetensors")), converted);
    }

    [Fact]
    public void PlainSafetensorsExportLeavesOptimizerStateOut()
    {
        using var temp = new TempFolder();
        var state = CheckpointFile.Load(TestPaths.Fixture("checkpoints", "vdsr_state_dict.pth"));
        state.Add(OptimizerTensors.MomentumName("output.weight"), new TensorData([1, 64, 3, 3], new float[576]));
        string path = temp.File("weights.safetensors");

        CheckpointFile.Export(path, state, CheckpointFormat.Safetensors);

        var exported = CheckpointFile.Load(path);
        Assert.Equal(20, exported.Count);
        Assert.DoesNotContain(exported.Names, OptimizerTensors.IsOptimizerTensor);
    }

    [Fact]
    public void NetToStateDictAndBackIsExact()
    {
        using var net = ModelStore.LoadNet(TestPaths.Fixture("checkpoints", "vdsr_pretrained.safetensors"));
        var state = ModelStore.ToStateDict(net, epoch: 50);
        AssertSameTensors(CheckpointFile.Load(TestPaths.Fixture("checkpoints", "vdsr_pretrained.safetensors")), state);
        Assert.Equal(50, state.Epoch);
    }
}
