using System.Runtime.CompilerServices;

namespace Vdsr.Core.Model.Winograd;

/// <summary>How many vectors of output channels one kernel call produces per row.</summary>
internal interface IColumnVectors
{
    static abstract int Count { get; }
}

internal readonly struct OneVector : IColumnVectors { public static int Count => 1; }
internal readonly struct TwoVectors : IColumnVectors { public static int Count => 2; }
internal readonly struct ThreeVectors : IColumnVectors { public static int Count => 3; }
internal readonly struct FourVectors : IColumnVectors { public static int Count => 4; }

/// <summary>
/// The channel-mixing products of Winograd: for each of the 36 positions, M[rows, O] = V[rows, C] U[C, O].
/// A register-blocked micro-kernel computes 6 rows by up to 4 vectors of columns: its accumulators
/// (24 zmm for AVX-512 at 64 columns; 12 ymm for AVX2 at 16 columns, of 16 registers) stay in
/// registers over the whole reduction, and each reduction step loads one row of U (TC loads) and
/// broadcasts 6 values of V for 6 TC fused multiply-adds.
/// </summary>
internal static unsafe class GemmKernel
{
    public const int Rows = 6;

    /// <summary>Columns per call of the widest kernel for this vector width.</summary>
    public static int MaxColumns<TV>() where TV : struct, ISimd<TV> => TV.Count == 16 ? 4 * 16 : 2 * TV.Count;

    /// <summary>
    /// c[rows, o] = a[rows, k] b[k, o] with rows a multiple of <see cref="Rows"/> and o a multiple
    /// of the vector width; a, b and c are row-major with the given leading dimensions.
    /// </summary>
    public static void Multiply<TV>(float* a, nint lda, float* b, nint ldb, float* c, nint ldc, int rows, int k, int o)
        where TV : struct, ISimd<TV>
    {
        int w = TV.Count;
        int wide = MaxColumns<TV>();
        int col = 0;
        for (; col + wide <= o; col += wide)
        {
            for (int r = 0; r < rows; r += Rows)
            {
                if (wide == 4 * w) Kernel<TV, FourVectors>(a + r * lda, lda, b + col, ldb, c + r * ldc + col, ldc, k);
                else Kernel<TV, TwoVectors>(a + r * lda, lda, b + col, ldb, c + r * ldc + col, ldc, k);
            }
        }
        int left = (o - col) / w;
        if (left == 0) return;
        for (int r = 0; r < rows; r += Rows)
        {
            float* ar = a + r * lda, cr = c + r * ldc + col;
            switch (left)
            {
                case 1: Kernel<TV, OneVector>(ar, lda, b + col, ldb, cr, ldc, k); break;
                case 2: Kernel<TV, TwoVectors>(ar, lda, b + col, ldb, cr, ldc, k); break;
                default: Kernel<TV, ThreeVectors>(ar, lda, b + col, ldb, cr, ldc, k); break;
            }
        }
    }

    /// <summary>
    /// 6 rows by TC vectors: the branches on TC.Count are constants in each specialisation, so the
    /// JIT drops the unused accumulators. Each output is one FMA chain over k in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel<TV, TC>(float* a, nint lda, float* b, nint ldb, float* c, nint ldc, int k)
        where TV : struct, ISimd<TV>
        where TC : struct, IColumnVectors
    {
        int w = TV.Count;
        int n = TC.Count;
        TV c00 = default, c01 = default, c02 = default, c03 = default;
        TV c10 = default, c11 = default, c12 = default, c13 = default;
        TV c20 = default, c21 = default, c22 = default, c23 = default;
        TV c30 = default, c31 = default, c32 = default, c33 = default;
        TV c40 = default, c41 = default, c42 = default, c43 = default;
        TV c50 = default, c51 = default, c52 = default, c53 = default;
        float* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda;
        for (int i = 0; i < k; i++)
        {
            float* bi = b + i * ldb;
            TV b0 = TV.Load(bi);
            TV b1 = n > 1 ? TV.Load(bi + w) : default;
            TV b2 = n > 2 ? TV.Load(bi + 2 * w) : default;
            TV b3 = n > 3 ? TV.Load(bi + 3 * w) : default;
            TV x = TV.Broadcast(a[i]);
            c00 = TV.Fma(x, b0, c00);
            if (n > 1) c01 = TV.Fma(x, b1, c01);
            if (n > 2) c02 = TV.Fma(x, b2, c02);
            if (n > 3) c03 = TV.Fma(x, b3, c03);
            x = TV.Broadcast(a1[i]);
            c10 = TV.Fma(x, b0, c10);
            if (n > 1) c11 = TV.Fma(x, b1, c11);
            if (n > 2) c12 = TV.Fma(x, b2, c12);
            if (n > 3) c13 = TV.Fma(x, b3, c13);
            x = TV.Broadcast(a2[i]);
            c20 = TV.Fma(x, b0, c20);
            if (n > 1) c21 = TV.Fma(x, b1, c21);
            if (n > 2) c22 = TV.Fma(x, b2, c22);
            if (n > 3) c23 = TV.Fma(x, b3, c23);
            x = TV.Broadcast(a3[i]);
            c30 = TV.Fma(x, b0, c30);
            if (n > 1) c31 = TV.Fma(x, b1, c31);
            if (n > 2) c32 = TV.Fma(x, b2, c32);
            if (n > 3) c33 = TV.Fma(x, b3, c33);
            x = TV.Broadcast(a4[i]);
            c40 = TV.Fma(x, b0, c40);
            if (n > 1) c41 = TV.Fma(x, b1, c41);
            if (n > 2) c42 = TV.Fma(x, b2, c42);
            if (n > 3) c43 = TV.Fma(x, b3, c43);
            x = TV.Broadcast(a5[i]);
            c50 = TV.Fma(x, b0, c50);
            if (n > 1) c51 = TV.Fma(x, b1, c51);
            if (n > 2) c52 = TV.Fma(x, b2, c52);
            if (n > 3) c53 = TV.Fma(x, b3, c53);
        }
        StoreRow<TV, TC>(c, w, c00, c01, c02, c03);
        StoreRow<TV, TC>(c + ldc, w, c10, c11, c12, c13);
        StoreRow<TV, TC>(c + 2 * ldc, w, c20, c21, c22, c23);
        StoreRow<TV, TC>(c + 3 * ldc, w, c30, c31, c32, c33);
        StoreRow<TV, TC>(c + 4 * ldc, w, c40, c41, c42, c43);
        StoreRow<TV, TC>(c + 5 * ldc, w, c50, c51, c52, c53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TV, TC>(float* c, int w, TV v0, TV v1, TV v2, TV v3)
        where TV : struct, ISimd<TV>
        where TC : struct, IColumnVectors
    {
        TV.Store(c, v0);
        if (TC.Count > 1) TV.Store(c + w, v1);
        if (TC.Count > 2) TV.Store(c + 2 * w, v2);
        if (TC.Count > 3) TV.Store(c + 3 * w, v3);
    }
}
