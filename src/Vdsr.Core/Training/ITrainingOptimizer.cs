using Vdsr.Core.Checkpoints;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>An update rule whose whole state travels in a checkpoint, so that a resumed run continues bit-identically.</summary>
public interface ITrainingOptimizer : IDisposable
{
    /// <summary>Gradients of all parameters, in parameter order (parameters without one left out).</summary>
    IReadOnlyList<Tensor> Gradients();

    /// <summary>Zeroes the existing gradients in place.</summary>
    void ZeroGradients();

    /// <summary>One update at <paramref name="learningRate"/>; the gradients are consumed.</summary>
    void Step(double learningRate);

    /// <summary>Adds the optimizer's tensors ("optimizer.*") and metadata to <paramref name="state"/>.</summary>
    void ExportState(StateDict state);

    /// <summary>Replaces the optimizer's state with the one in <paramref name="state"/>.</summary>
    void ImportState(StateDict state, string origin);
}
