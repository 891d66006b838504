using Vdsr.Core.Checkpoints;
using static TorchSharp.torch;

namespace Vdsr.Core.Model;

/// <summary>Copies between libtorch tensors and managed <see cref="TensorData"/>, bit for bit.</summary>
public static class TensorDataConversion
{
    public static TensorData ToTensorData(Tensor tensor)
    {
        using var cpu = tensor.detach().to(ScalarType.Float32, CPU).contiguous();
        return new TensorData(cpu.shape.ToArray(), cpu.data<float>().ToArray());
    }

    /// <summary>Overwrites <paramref name="target"/> with <paramref name="source"/>; shapes must agree.</summary>
    public static void CopyInto(Tensor target, TensorData source, string name, string origin)
    {
        if (!target.shape.SequenceEqual(source.Shape))
            throw new CheckpointFormatException(
                $"{origin}: tensor '{name}' has shape {source.ShapeText}, the network expects [{string.Join(", ", target.shape)}]");
        using var _ = no_grad();
        using var value = tensor(source.Data, source.Shape, ScalarType.Float32);
        target.copy_(value);
    }
}
