using Vdsr.Core.Checkpoints;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Training;

public class SgdMomentumOptimizerTests
{
    public SgdMomentumOptimizerTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void FollowsPyTorchSgdWithMomentumAndWeightDecay()
    {
        using var p = tensor(new float[] { 1.0f, -2.0f }).requires_grad_(true);
        using var opt = new SgdMomentumOptimizer([("w", p)], momentum: 0.9, weightDecay: 0.1);
        float[] g1 = [0.5f, 0.25f], g2 = [-1.0f, 2.0f];
        double lr = 0.1;

        SetGrad(p, g1);
        opt.Step(lr);
        // d = g + wd*p; buf = d; p -= lr*buf
        double[] w = [1.0, -2.0];
        double[] buf = [g1[0] + 0.1 * w[0], g1[1] + 0.1 * w[1]];
        w = [w[0] - lr * buf[0], w[1] - lr * buf[1]];
        AssertClose(w, p);
        AssertClose(buf, opt.MomentumBuffer("w")!);

        SetGrad(p, g2);
        opt.Step(lr);
        // buf = 0.9*buf + d
        buf = [0.9 * buf[0] + g2[0] + 0.1 * w[0], 0.9 * buf[1] + g2[1] + 0.1 * w[1]];
        w = [w[0] - lr * buf[0], w[1] - lr * buf[1]];
        AssertClose(w, p);
        AssertClose(buf, opt.MomentumBuffer("w")!);
    }

    [Fact]
    public void MomentumRoundTripsThroughStateDict()
    {
        using var p = tensor(new float[] { 1, 2, 3 }).requires_grad_(true);
        using var opt = new SgdMomentumOptimizer([("w", p)], 0.9, 0);
        var empty = new StateDict();
        opt.ExportState(empty);
        Assert.Equal(0, empty.Count); // no buffer before the first step

        SetGrad(p, [1, 2, 3]);
        opt.Step(0.1);
        var state = new StateDict();
        opt.ExportState(state);
        Assert.Equal(["optimizer.momentum.w"], state.Names);

        using var other = new SgdMomentumOptimizer([("w", p)], 0.9, 0);
        other.ImportState(state, "s");
        Assert.Equal(new float[] { 1, 2, 3 }, other.MomentumBuffer("w")!.data<float>().ToArray());
    }

    [Fact]
    public void RejectsMomentumOfUnknownParameter()
    {
        using var p = tensor(new float[] { 1 }).requires_grad_(true);
        using var opt = new SgdMomentumOptimizer([("w", p)], 0.9, 0);
        var state = new StateDict();
        state.Add("optimizer.momentum.v", new TensorData([1], [0f]));
        var e = Assert.Throws<CheckpointFormatException>(() => opt.ImportState(state, "ck.vdsr"));
        Assert.Contains("ck.vdsr", e.Message);
    }

    private static void SetGrad(Tensor p, float[] values)
    {
        using (no_grad()) p.grad?.zero_();
        using var g = tensor(values);
        using var loss = (p * g).sum();
        loss.backward(); // d(sum(p*g))/dp = g
    }

    private static void AssertClose(double[] expected, Tensor actual)
    {
        var a = actual.data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], a[i], 6);
    }
}
