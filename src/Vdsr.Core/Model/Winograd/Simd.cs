using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vdsr.Core.Model.Winograd;

/// <summary>
/// The few float vector operations the Winograd transforms and products need, over one hardware
/// width. The kernels are generic over this interface and constrained to structs, so the JIT
/// compiles one specialised copy per width and the wrappers inline away.
/// </summary>
internal unsafe interface ISimd<TSelf> where TSelf : struct, ISimd<TSelf>
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TSelf Load(float* p);
    static abstract void Store(float* p, TSelf v);
    static abstract TSelf Broadcast(float s);

    /// <summary>a * b + c with one rounding (a true fused multiply-add, never an estimate).</summary>
    static abstract TSelf Fma(TSelf a, TSelf b, TSelf c);

    /// <summary>a * s + c with one rounding.</summary>
    static abstract TSelf Fma(TSelf a, float s, TSelf c);

    /// <summary>Elementwise max(v, 0).</summary>
    static abstract TSelf Relu(TSelf v);

    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, float s);
}

/// <summary>AVX-512: 16 floats.</summary>
internal readonly unsafe struct V512(Vector512<float> v) : ISimd<V512>
{
    private readonly Vector512<float> _v = v;

    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512 Load(float* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, V512 v) => v._v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512 Broadcast(float s) => new(Vector512.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 Fma(V512 a, V512 b, V512 c) => new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 Fma(V512 a, float s, V512 c) => new(Vector512.FusedMultiplyAdd(a._v, Vector512.Create(s), c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512 Relu(V512 v) => new(Vector512.MaxNative(v._v, Vector512<float>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512 operator +(V512 a, V512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512 operator -(V512 a, V512 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512 operator *(V512 a, float s) => new(a._v * s);
}

/// <summary>AVX2 with FMA: 8 floats.</summary>
internal readonly unsafe struct V256(Vector256<float> v) : ISimd<V256>
{
    private readonly Vector256<float> _v = v;

    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256 Load(float* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, V256 v) => v._v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256 Broadcast(float s) => new(Vector256.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 Fma(V256 a, V256 b, V256 c) => new(Vector256.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 Fma(V256 a, float s, V256 c) => new(Vector256.FusedMultiplyAdd(a._v, Vector256.Create(s), c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256 Relu(V256 v) => new(Vector256.MaxNative(v._v, Vector256<float>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256 operator +(V256 a, V256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256 operator -(V256 a, V256 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256 operator *(V256 a, float s) => new(a._v * s);
}
