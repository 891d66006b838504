using System.Runtime.CompilerServices;
using static Vdsr.Core.Model.Winograd.WinogradPoints;

namespace Vdsr.Core.Model.Winograd;

/// <summary>
/// The F(4x4,3x3) data transforms on one vector of channels: V = B^T d B of a 6x6 input patch and
/// Y = A^T M A of a tile's 36 products, each as a column pass then a row pass of the 1-D transform.
/// Channels-last memory keeps a pixel's channels contiguous, so every load and store is one vector.
/// </summary>
internal static unsafe class TileTransforms
{
    public const int Alpha = 6;
    public const int Tile = 4;
    public const int Positions = Alpha * Alpha;

    /// <summary>
    /// V[t] for t = 6 r + k, one channel vector: <paramref name="src"/> is the patch's top-left pixel
    /// (pixels <paramref name="pixelStride"/> floats apart, rows <paramref name="rowStride"/> apart),
    /// <paramref name="dst"/> is V[0] and V[t] lies t * <paramref name="tStride"/> floats further;
    /// <paramref name="tmp"/> holds 36 vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<TV>(float* src, nint pixelStride, nint rowStride, float* dst, nint tStride, float* tmp)
        where TV : struct, ISimd<TV>
    {
        int w = TV.Count;
        for (int j = 0; j < Alpha; j++)
            Input1D<TV>(src + j * pixelStride, rowStride, tmp + j * w, Alpha * w);
        for (int r = 0; r < Alpha; r++)
            Input1D<TV>(tmp + r * Alpha * w, w, dst + r * Alpha * tStride, tStride);
    }

    /// <summary>
    /// Y = A^T M A for one channel vector, M[t] at <paramref name="src"/> + t * <paramref name="tStride"/>,
    /// written as 4x4 pixels (<paramref name="pixelStride"/>, <paramref name="rowStride"/>), with
    /// max(y, 0) when <paramref name="relu"/>; <paramref name="tmp"/> holds 24 vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TV>(float* src, nint tStride, float* dst, nint pixelStride, nint rowStride, bool relu, float* tmp)
        where TV : struct, ISimd<TV>
    {
        int w = TV.Count;
        for (int k = 0; k < Alpha; k++)
            Output1D<TV>(src + k * tStride, Alpha * tStride, tmp + k * w, Alpha * w, false);
        for (int i = 0; i < Tile; i++)
            Output1D<TV>(tmp + i * Alpha * w, w, dst + i * rowStride, pixelStride, relu);
    }

    /// <summary>B^T times six vectors read <paramref name="ss"/> floats apart, written <paramref name="ds"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Input1D<TV>(float* s, nint ss, float* d, nint ds) where TV : struct, ISimd<TV>
    {
        TV d0 = TV.Load(s), d1 = TV.Load(s + ss), d2 = TV.Load(s + 2 * ss);
        TV d3 = TV.Load(s + 3 * ss), d4 = TV.Load(s + 4 * ss), d5 = TV.Load(s + 5 * ss);
        TV ep = TV.Fma(d2, -Q2, d4), op = TV.Fma(d1, -Q2, d3) * Pf;
        TV eq = TV.Fma(d2, -P2, d4), oq = TV.Fma(d1, -P2, d3) * Qf;
        TV.Store(d, TV.Fma(d0, PQ2, TV.Fma(d2, -SumSq, d4)));
        TV.Store(d + ds, ep + op);
        TV.Store(d + 2 * ds, ep - op);
        TV.Store(d + 3 * ds, eq + oq);
        TV.Store(d + 4 * ds, eq - oq);
        TV.Store(d + 5 * ds, TV.Fma(d1, PQ2, TV.Fma(d3, -SumSq, d5)));
    }

    /// <summary>A^T times six vectors read <paramref name="ss"/> floats apart: four vectors written <paramref name="ds"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Output1D<TV>(float* s, nint ss, float* d, nint ds, bool relu) where TV : struct, ISimd<TV>
    {
        TV m0 = TV.Load(s), m1 = TV.Load(s + ss), m2 = TV.Load(s + 2 * ss);
        TV m3 = TV.Load(s + 3 * ss), m4 = TV.Load(s + 4 * ss), m5 = TV.Load(s + 5 * ss);
        TV sp = m1 + m2, dp = m1 - m2, sq = m3 + m4, dq = m3 - m4;
        TV y0 = m0 + sp + sq;
        TV y1 = TV.Fma(dq, Qf, dp * Pf);
        TV y2 = TV.Fma(sq, Q2, sp * P2);
        TV y3 = TV.Fma(dq, Q3, TV.Fma(dp, P3, m5));
        if (relu)
        {
            y0 = TV.Relu(y0);
            y1 = TV.Relu(y1);
            y2 = TV.Relu(y2);
            y3 = TV.Relu(y3);
        }
        TV.Store(d, y0);
        TV.Store(d + ds, y1);
        TV.Store(d + 2 * ds, y2);
        TV.Store(d + 3 * ds, y3);
    }
}
