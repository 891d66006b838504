using Vdsr.Core.Checkpoints;
using Vdsr.Core.Runtime;
using Vdsr.Core.Training;
using static TorchSharp.torch;

namespace Vdsr.Core.Tests.Training;

public class AdamOptimizerTests
{
    public AdamOptimizerTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void FollowsPyTorchsAdamStepByStep()
    {
        using var p = tensor(new float[] { 0.5f, -1f }).requires_grad_();
        using var opt = new AdamOptimizer([("w", p)], weightDecay: 0.01);
        double[] w = [0.5, -1], m = [0, 0], v = [0, 0];
        float[][] grads = [[0.2f, -3f], [0.1f, 1f], [-0.4f, 0.5f]];
        const double lr = 0.01;
        for (int t = 1; t <= grads.Length; t++)
        {
            p.grad = tensor(grads[t - 1]);
            opt.Step(lr);
            for (int i = 0; i < 2; i++)
            {
                double g = grads[t - 1][i] + 0.01 * w[i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                w[i] -= lr / (1 - Math.Pow(0.9, t)) * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.999, t)) + 1e-8);
            }
            var got = p.data<float>().ToArray();
            Assert.Equal(w[0], got[0], 5);
            Assert.Equal(w[1], got[1], 5);
        }
        Assert.Equal(3, opt.StepCount);
    }

    [Fact]
    public void StateRoundTripContinuesIdentically()
    {
        using var a = tensor(new float[] { 0.5f, -1f, 2f }).requires_grad_();
        using var b = tensor(new float[] { 0.5f, -1f, 2f }).requires_grad_();
        using var first = new AdamOptimizer([("w", a)], 0);
        a.grad = tensor(new float[] { 1f, 2f, -3f });
        first.Step(0.1);
        var state = new StateDict();
        first.ExportState(state);
        Assert.True(state.TryGet("optimizer.exp_avg.w", out _));
        Assert.True(state.TryGet("optimizer.exp_avg_sq.w", out _));

        using (no_grad()) b.copy_(a);
        using var second = new AdamOptimizer([("w", b)], 0);
        second.ImportState(state, "test");
        Assert.Equal(first.StepCount, second.StepCount);
        a.grad = tensor(new float[] { -1f, 0.5f, 0.25f });
        b.grad = tensor(new float[] { -1f, 0.5f, 0.25f });
        first.Step(0.1);
        second.Step(0.1);
        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
    }

    [Fact]
    public void MissingSecondMomentIsRefused()
    {
        using var p = tensor(new float[] { 1f }).requires_grad_();
        using var opt = new AdamOptimizer([("w", p)], 0);
        var state = new StateDict();
        state.Add("optimizer.exp_avg.w", new TensorData([1], [0.1f]));
        state.Metadata[AdamOptimizer.StepKey] = "4";
        var e = Assert.Throws<CheckpointFormatException>(() => opt.ImportState(state, "ckpt.safetensors"));
        Assert.Equal("ckpt.safetensors: 'optimizer.exp_avg.w' has no 'optimizer.exp_avg_sq.w'", e.Message);
    }
}
