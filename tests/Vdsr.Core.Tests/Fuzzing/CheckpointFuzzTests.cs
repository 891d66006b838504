using Vdsr.Core.Checkpoints;
using Xunit.Abstractions;

namespace Vdsr.Core.Tests.Fuzzing;

/// <summary>Mutants of small width-4 checkpoints in each layout through <see cref="CheckpointFile.Load"/>.</summary>
[Trait("Category", "Slow")] // fuzzing, killed processes, convergence: skip locally with --filter "Category!=Slow"
public sealed class CheckpointFuzzTests(ITestOutputHelper output)
{
    private static readonly FuzzLimits Limits = new();

    private static string Fixture(string name) => TestPaths.Fixture("checkpoints", name);

    [Fact]
    public void MutatedLegacyTorchFilesLoadOrAreRefused() =>
        new FuzzRunner(output, Limits).Run("legacy-pth", File.ReadAllBytes(Fixture("legacy_state_dict_width4.pth")), ".pth", path => CheckpointFile.Load(path));

    [Fact]
    public void MutatedZipTorchFilesLoadOrAreRefused() =>
        new FuzzRunner(output, Limits).Run("zip-pth", File.ReadAllBytes(Fixture("ddp_state_dict_width4.pth")), ".pth", path => CheckpointFile.Load(path));

    [Theory]
    [InlineData(CheckpointFormat.Safetensors)]
    [InlineData(CheckpointFormat.Vdsr)]
    public void MutatedSafetensorsLoadOrAreRefused(CheckpointFormat format)
    {
        using var temp = new TempFolder();
        var state = CheckpointFile.Load(Fixture("legacy_state_dict_width4.pth"));
        state.Epoch = 7;
        string path = temp.File("seed.safetensors");
        CheckpointFile.Export(path, state, format);
        new FuzzRunner(output, Limits).Run(format.ToString().ToLowerInvariant(), File.ReadAllBytes(path), ".safetensors", p => CheckpointFile.Load(p));
    }
}
