using System.Globalization;
using TorchSharp;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>
/// Adam exactly as PyTorch's torch.optim.Adam (no amsgrad): g += wd*p; m = b1*m + (1-b1)*g;
/// v = b2*v + (1-b2)*g^2; p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps). Both moment buffers
/// and the step count go into checkpoints ("optimizer.exp_avg.*", "optimizer.exp_avg_sq.*", metadata "optimizer.step").
/// </summary>
public sealed class AdamOptimizer : TrainingOptimizer
{
    public const double Beta1 = 0.9;
    public const double Beta2 = 0.999;
    public const double Epsilon = 1e-8;
    public const string StepKey = "optimizer.step";

    private readonly Dictionary<string, (Tensor Mean, Tensor Square)> _moments = new(StringComparer.Ordinal);

    public double WeightDecay { get; }

    /// <summary>Updates done so far (the t of the bias corrections).</summary>
    public long StepCount { get; private set; }

    public AdamOptimizer(IEnumerable<(string Name, Tensor Parameter)> parameters, double weightDecay) : base(parameters) =>
        WeightDecay = weightDecay;

    public override void Step(double learningRate)
    {
        using var _ = no_grad();
        StepCount++;
        double correction1 = 1 - Math.Pow(Beta1, StepCount);
        double correction2Root = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        foreach (var (name, p) in Parameters)
        {
            var g = p.grad;
            if (g is null) continue;
            if (WeightDecay != 0) g.add_(p, alpha: WeightDecay);
            if (!_moments.TryGetValue(name, out var m))
            {
                m = (Kept(zeros_like(p)), Kept(zeros_like(p)));
                _moments[name] = m;
            }
            m.Mean.mul_(Beta1).add_(g, alpha: 1 - Beta1);
            m.Square.mul_(Beta2).addcmul_(g, g, value: 1 - Beta2);
            using var denominator = m.Square.sqrt().div_(correction2Root).add_(Epsilon);
            p.addcdiv_(m.Mean, denominator, value: -learningRate / correction1);
        }
    }

    public override void ExportState(StateDict state)
    {
        foreach (var (name, _) in Parameters)
        {
            if (!_moments.TryGetValue(name, out var m)) continue;
            state.Add(OptimizerTensors.BufferName("exp_avg", name), TensorDataConversion.ToTensorData(m.Mean));
            state.Add(OptimizerTensors.BufferName("exp_avg_sq", name), TensorDataConversion.ToTensorData(m.Square));
        }
        state.Metadata[StepKey] = StepCount.ToString(CultureInfo.InvariantCulture);
    }

    public override void ImportState(StateDict state, string origin)
    {
        Clear();
        if (state.Metadata.TryGetValue(StepKey, out var text))
        {
            StepCount = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var step) && step >= 0 ? step
                : throw new CheckpointFormatException($"{origin}: '{StepKey}' is not a step count: '{text}'");
        }
        var means = OptimizerTensors.Buffers(state, "exp_avg");
        var squares = OptimizerTensors.Buffers(state, "exp_avg_sq");
        if (StepCount > 0 && means.Count == 0)
            throw new CheckpointFormatException($"{origin}: Adam at step {StepCount} but no 'optimizer.exp_avg.*' buffers");
        var known = Parameters.ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        foreach (var (name, data) in means)
        {
            if (!known.TryGetValue(name, out var p))
                throw new CheckpointFormatException($"{origin}: Adam buffer 'optimizer.exp_avg.{name}' has no matching parameter");
            if (!squares.TryGetValue(name, out var squareData))
                throw new CheckpointFormatException($"{origin}: 'optimizer.exp_avg.{name}' has no 'optimizer.exp_avg_sq.{name}'");
            var mean = Kept(zeros_like(p));
            var square = Kept(zeros_like(p));
            _moments[name] = (mean, square);
            TensorDataConversion.CopyInto(mean, data, OptimizerTensors.BufferName("exp_avg", name), origin);
            TensorDataConversion.CopyInto(square, squareData, OptimizerTensors.BufferName("exp_avg_sq", name), origin);
        }
        foreach (var name in squares.Keys.Where(n => !means.ContainsKey(n)))
            throw new CheckpointFormatException($"{origin}: 'optimizer.exp_avg_sq.{name}' has no 'optimizer.exp_avg.{name}'");
    }

    private static Tensor Kept(Tensor t)
    {
        var d = t.detach();
        d.DetachFromDisposeScope();
        return d;
    }

    private void Clear()
    {
        foreach (var (mean, square) in _moments.Values)
        {
            mean.Dispose();
            square.Dispose();
        }
        _moments.Clear();
        StepCount = 0;
    }

    public override void Dispose() => Clear();
}
