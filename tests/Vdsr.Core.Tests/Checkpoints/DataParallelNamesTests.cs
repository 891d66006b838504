using Vdsr.Core.Checkpoints;

namespace Vdsr.Core.Tests.Checkpoints;

public class DataParallelNamesTests
{
    [Fact]
    public void DropsTheModulePrefixOfAWrappedModelsStateDict()
    {
        var state = new StateDict { Epoch = 7 };
        state.Add("module.input.weight", new TensorData([1], [1f]));
        state.Add("module.output.weight", new TensorData([1], [2f]));
        var stripped = DataParallelNames.Strip(state);
        Assert.Equal(["input.weight", "output.weight"], stripped.Entries.Select(e => e.Key));
        Assert.Equal(2f, stripped["output.weight"].Data[0]);
        Assert.Equal(7, stripped.Epoch);
    }

    [Fact]
    public void LoadsAStateDictSavedFromADistributedDataParallelModel()
    {
        // torch.save({"module." + k: v for k, v in Net(width=4).state_dict().items()}), as DDP's state_dict() names them.
        var state = CheckpointFile.Load(TestPaths.Fixture("checkpoints", "ddp_state_dict_width4.pth"));
        Assert.Equal("input.weight", state.Entries[0].Key);
        Assert.DoesNotContain(state.Names, n => n.StartsWith("module.", StringComparison.Ordinal));
        Assert.Equal(Vdsr.Core.Model.VdsrArchitecture.Uniform(20, 4).HiddenWidths, Vdsr.Core.Model.ModelStore.ArchitectureOf(state, "ddp").HiddenWidths);
    }

    [Fact]
    public void LeavesOtherNamesAlone()
    {
        var state = new StateDict();
        state.Add("module.input.weight", new TensorData([1], [1f]));
        state.Add("output.weight", new TensorData([1], [2f]));
        Assert.Same(state, DataParallelNames.Strip(state));
    }
}
