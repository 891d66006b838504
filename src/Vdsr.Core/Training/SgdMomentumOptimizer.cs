using TorchSharp;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>
/// SGD with momentum and weight decay exactly as PyTorch's torch.optim.SGD (no dampening, no Nesterov):
/// d = grad + wd*p; buf = d on a parameter's first step, else momentum*buf + d; p -= lr*buf.
/// The momentum buffers are public state so that a checkpoint can carry them.
/// </summary>
public sealed class SgdMomentumOptimizer : TrainingOptimizer
{

    private readonly Dictionary<string, Tensor> _momentum = new(StringComparer.Ordinal);

    public double Momentum { get; }
    public double WeightDecay { get; }

    public SgdMomentumOptimizer(IEnumerable<(string Name, Tensor Parameter)> parameters, double momentum, double weightDecay) : base(parameters)
    {
        Momentum = momentum;
        WeightDecay = weightDecay;
    }

    /// <summary>The momentum buffer of a parameter, or null before its first step.</summary>
    public Tensor? MomentumBuffer(string name) => _momentum.GetValueOrDefault(name);

    /// <summary>One update. The gradients are consumed: weight decay is added into them in place.</summary>
    public override void Step(double learningRate)
    {
        using var _ = no_grad();
        foreach (var (name, p) in Parameters)
        {
            var d = p.grad;
            if (d is null) continue;
            if (WeightDecay != 0) d.add_(p, alpha: WeightDecay);
            if (Momentum != 0)
            {
                if (_momentum.TryGetValue(name, out var buf))
                {
                    buf.mul_(Momentum).add_(d);
                }
                else
                {
                    buf = d.detach().clone();
                    buf.DetachFromDisposeScope();
                    _momentum[name] = buf;
                }
                d = buf;
            }
            p.add_(d, alpha: -learningRate);
        }
    }

    /// <summary>Adds "optimizer.momentum.&lt;name&gt;" tensors for every buffer that exists.</summary>
    public override void ExportState(StateDict state)
    {
        foreach (var (name, _) in Parameters)
            if (_momentum.TryGetValue(name, out var buf))
                state.Add(OptimizerTensors.MomentumName(name), TensorDataConversion.ToTensorData(buf));
    }

    /// <summary>Replaces the buffers with those in <paramref name="state"/> (a parameter without one starts fresh).</summary>
    public override void ImportState(StateDict state, string origin)
    {
        ClearMomentum();
        var known = Parameters.ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        foreach (var (name, data) in OptimizerTensors.Momentum(state))
        {
            string key = OptimizerTensors.MomentumName(name);
            if (!known.TryGetValue(name, out var p))
                throw new CheckpointFormatException($"{origin}: momentum buffer '{key}' has no matching parameter");
            var buf = zeros_like(p).detach();
            buf.DetachFromDisposeScope();
            TensorDataConversion.CopyInto(buf, data, key, origin);
            _momentum[name] = buf;
        }
    }

    private void ClearMomentum()
    {
        foreach (var buf in _momentum.Values) buf.Dispose();
        _momentum.Clear();
    }

    public override void Dispose() => ClearMomentum();
}
