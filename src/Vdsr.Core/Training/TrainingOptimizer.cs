using Vdsr.Core.Checkpoints;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>An update rule whose whole state travels in a checkpoint, so that a resumed run continues bit-identically.</summary>
public abstract class TrainingOptimizer : IDisposable
{
    protected TrainingOptimizer(IEnumerable<(string Name, Tensor Parameter)> parameters) => Parameters = parameters.ToArray();

    protected IReadOnlyList<(string Name, Tensor Parameter)> Parameters { get; }

    public IReadOnlyList<string> ParameterNames => Parameters.Select(p => p.Name).ToArray();

    /// <summary>Gradients of all parameters, in parameter order (parameters without one left out).</summary>
    public IReadOnlyList<Tensor> Gradients() =>
        Parameters.Select(p => p.Parameter.grad).Where(g => g is not null).Select(g => g!).ToArray();

    /// <summary>Zeroes the existing gradients in place (PyTorch 1.x zero_grad without set_to_none).</summary>
    public void ZeroGradients()
    {
        using var _ = no_grad();
        foreach (var (_, p) in Parameters) p.grad?.zero_();
    }

    /// <summary>One update at <paramref name="learningRate"/>; the gradients are consumed.</summary>
    public abstract void Step(double learningRate);

    /// <summary>Adds the optimizer's tensors ("optimizer.*") and metadata to <paramref name="state"/>.</summary>
    public abstract void ExportState(StateDict state);

    /// <summary>Replaces the optimizer's state with the one in <paramref name="state"/>.</summary>
    public abstract void ImportState(StateDict state, string origin);

    public abstract void Dispose();
}
