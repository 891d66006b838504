namespace Vdsr.Core.Runtime;

/// <summary>What a process runs on libtorch, which decides how its OpenMP threads wait (<see cref="OpenMpWaitTuning"/>).</summary>
public enum TorchWorkload
{
    /// <summary>Training steps: libtorch's ops back to back (its OpenMP defaults are kept).</summary>
    Training,

    /// <summary>Forwards whose libtorch convs alternate with this toolkit's own SIMD kernels on .NET threads.</summary>
    Inference,
}
