using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Vdsr.Core.Model;

/// <summary>Raw access to tensor storage for the hand-written CPU kernels (Winograd, the edge convs).</summary>
internal static class TensorMemory
{
    /// <summary>A dense (contiguous, storage offset 0) tensor with the same values: <paramref name="t"/> itself when it already is.</summary>
    public static Tensor Dense(Tensor t)
    {
        if (!t.is_contiguous()) return t.contiguous();
        return t.storage_offset() == 0 ? t : t.clone();
    }

    /// <summary>The storage address of a dense CPU tensor (native memory that libtorch owns and does not move).</summary>
    public static unsafe nint Address(Tensor t, string kernel)
    {
        // TorchSharp exposes the storage only as a Span, whose length is an int.
        if (t.numel() * t.ElementSize > int.MaxValue)
            throw new ArgumentException($"{kernel} handles tensors of up to 2 GiB, got [{string.Join(", ", t.shape)}]");
        return (nint)Unsafe.AsPointer(ref t.bytes.GetPinnableReference());
    }

    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
