using Vdsr.Core.Runtime;

namespace Vdsr.Core.Tests.Runtime;

public class OpenMpWaitTuningTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void InferenceShortensTheSpinAndTrainingKeepsLibgompsDefault()
    {
        Assert.Equal("10000", OpenMpWaitTuning.SpinCountFor(TorchWorkload.Inference, Environment()));
        Assert.Null(OpenMpWaitTuning.SpinCountFor(TorchWorkload.Training, Environment()));
    }

    [Theory]
    [InlineData("OMP_WAIT_POLICY", "ACTIVE")]
    [InlineData("OMP_WAIT_POLICY", "PASSIVE")]
    [InlineData("GOMP_SPINCOUNT", "300000")]
    public void WhatTheUserSetIsKept(string name, string value) =>
        Assert.Null(OpenMpWaitTuning.SpinCountFor(TorchWorkload.Inference, Environment((name, value))));
}
