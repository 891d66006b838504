using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;

namespace Vdsr.Core.Tests.Training;

public class DistillationTests
{
    public DistillationTests() => TorchRuntime.EnsureInitialized();

    private static readonly VdsrArchitecture Small = VdsrArchitecture.Uniform(4, 8);

    /// <summary>Copies of one seeded network (tests run in parallel, so the global seed alone would not make twins).</summary>
    private static readonly Lazy<StateDict> Weights = new(() =>
    {
        using var net = Trainer.CreateNetwork(Small, seed: 3);
        return ModelStore.ToStateDict(net);
    });

    private static VdsrNet Copy() => ModelStore.ToNet(Weights.Value, "copy");

    /// <summary>
    /// With a teacher equal to the student, output - target = (1 - w)(output - label): the loss is
    /// the label loss times (1 - w)^2, zero at w = 1.
    /// </summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void AnIdenticalTeacherScalesTheLabelLossByOneMinusWeightSquared(double weight)
    {
        using var source = TrainingTestData.Patches(4, 17, seed: 1);
        var batch = source.Epoch(1, 4).First();
        double labelLoss;
        using (var reference = Copy())
        using (var plain = new Trainer(reference, source, new TrainingOptions { BatchSize = 4 }))
            labelLoss = plain.Step(batch, 0.1).Loss;

        using (var student = Copy())
        using (var teacher = Copy())
        using (var trainer = new Trainer(student, source, new TrainingOptions { BatchSize = 4, DistillWeight = weight }, teacher: teacher))
        {
            double loss = trainer.Step(batch, 0.1).Loss;
            Assert.Equal((1 - weight) * (1 - weight) * labelLoss, loss, 1e-5 * labelLoss);
        }
    }

    [Fact]
    public void DistillationWithoutATeacherIsAProgrammingError()
    {
        using var net = Trainer.CreateNetwork(Small, seed: 1);
        using var source = TrainingTestData.Patches(2, 17, seed: 1);
        using var trainer = new Trainer(net, source, new TrainingOptions { BatchSize = 2, DistillWeight = 0.5 });
        Assert.Throws<InvalidOperationException>(() => trainer.Step(source.Epoch(1, 2).First(), 0.1));
    }

    [Fact]
    public void TheWeightIsStoredAndAbsentMeansNone()
    {
        var options = new TrainingOptions { DistillWeight = 0.25 };
        var metadata = new Dictionary<string, string>();
        options.WriteTo(metadata);
        Assert.Equal(0.25, TrainingOptions.ReadFrom(metadata, "ck").DistillWeight);
        metadata.Remove("training.options.distill_weight");
        Assert.Equal(0, TrainingOptions.ReadFrom(metadata, "ck").DistillWeight);

        Assert.Throws<TrainingOptionException>(() => new TrainingOptions { DistillWeight = 1.5 }.Validate());
    }
}
