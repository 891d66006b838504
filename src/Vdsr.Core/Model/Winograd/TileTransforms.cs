using System.Runtime.CompilerServices;

namespace Vdsr.Core.Model.Winograd;

/// <summary>
/// The F(4x4,3x3) data transforms on one vector of channels: V = B^T d B of a 6x6 input patch and
/// Y = A^T M A of a tile's 36 products, each as a column pass then a row pass of the 1-D transform,
/// with the column pass's results held in registers.
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
    /// <paramref name="dst"/> is V[0] and V[t] lies t * <paramref name="tStride"/> floats further.
    /// The column pass's 36 vectors do not fit in AVX-512's 32 registers, so it runs twice, once for
    /// rows 0-2 and once for rows 3-5 of B^T d, each time keeping 18 vectors in registers for the row
    /// pass: reloading the patch (36 loads) measured faster than storing and reloading 36 vectors.
    /// AVX2's 16 registers spill some.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<TV>(float* src, nint pixelStride, nint rowStride, float* dst, nint tStride)
        where TV : struct, ISimd<TV>
    {
        InputRows<TV, TopRows>(src, pixelStride, rowStride, dst, tStride);
        InputRows<TV, BottomRows>(src, pixelStride, rowStride, dst + 3 * Alpha * tStride, tStride);
    }

    // Each half is its own method: inlined into one, the 36 column transforms and 6 row transforms
    // exceed the JIT's inlining budget and the last vector operations become calls.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void InputRows<TV, TRows>(float* src, nint ps, nint rowStride, float* dst, nint tStride)
        where TV : struct, ISimd<TV>
        where TRows : struct, IInputRows
    {
        TRows.Columns<TV>(src, rowStride, out TV a0, out TV b0, out TV c0);
        TRows.Columns<TV>(src + ps, rowStride, out TV a1, out TV b1, out TV c1);
        TRows.Columns<TV>(src + 2 * ps, rowStride, out TV a2, out TV b2, out TV c2);
        TRows.Columns<TV>(src + 3 * ps, rowStride, out TV a3, out TV b3, out TV c3);
        TRows.Columns<TV>(src + 4 * ps, rowStride, out TV a4, out TV b4, out TV c4);
        TRows.Columns<TV>(src + 5 * ps, rowStride, out TV a5, out TV b5, out TV c5);
        Row<TV>(a0, a1, a2, a3, a4, a5, dst, tStride);
        Row<TV>(b0, b1, b2, b3, b4, b5, dst + Alpha * tStride, tStride);
        Row<TV>(c0, c1, c2, c3, c4, c5, dst + 2 * Alpha * tStride, tStride);
    }

    /// <summary>
    /// Y = A^T M A for one channel vector, M[t] at <paramref name="src"/> + t * <paramref name="tStride"/>,
    /// written as 4x4 pixels (<paramref name="pixelStride"/>, <paramref name="rowStride"/>), with
    /// max(y, 0) when <paramref name="relu"/>. The column pass runs twice, for output rows 0 and 2
    /// (which share m1 + m2 and m3 + m4) and for rows 1 and 3 (which share the differences), so its
    /// 12 vectors stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<TV>(float* src, nint tStride, float* dst, nint pixelStride, nint rowStride, bool relu)
        where TV : struct, ISimd<TV>
    {
        OutputRows<TV, EvenRows>(src, tStride, dst, pixelStride, rowStride, relu);
        OutputRows<TV, OddRows>(src, tStride, dst + rowStride, pixelStride, rowStride, relu);
    }

    /// <summary>Two of the four output rows, <paramref name="dst"/> and 2 <paramref name="rowStride"/> below it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void OutputRows<TV, TRows>(float* src, nint tStride, float* dst, nint pixelStride, nint rowStride, bool relu)
        where TV : struct, ISimd<TV>
        where TRows : struct, IOutputRows
    {
        nint cs = Alpha * tStride;
        TRows.Columns<TV>(src, cs, out TV a0, out TV b0);
        TRows.Columns<TV>(src + tStride, cs, out TV a1, out TV b1);
        TRows.Columns<TV>(src + 2 * tStride, cs, out TV a2, out TV b2);
        TRows.Columns<TV>(src + 3 * tStride, cs, out TV a3, out TV b3);
        TRows.Columns<TV>(src + 4 * tStride, cs, out TV a4, out TV b4);
        TRows.Columns<TV>(src + 5 * tStride, cs, out TV a5, out TV b5);
        OutputRow<TV>(a0, a1, a2, a3, a4, a5, dst, pixelStride, relu);
        OutputRow<TV>(b0, b1, b2, b3, b4, b5, dst + 2 * rowStride, pixelStride, relu);
    }

    /// <summary>B^T times six vectors held in registers, written <paramref name="ds"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<TV>(TV d0, TV d1, TV d2, TV d3, TV d4, TV d5, float* d, nint ds) where TV : struct, ISimd<TV>
    {
        TopRows.Of(d0, d1, d2, d3, d4, out TV r0, out TV r1, out TV r2);
        BottomRows.Of(d1, d2, d3, d4, d5, out TV r3, out TV r4, out TV r5);
        TV.Store(d, r0);
        TV.Store(d + ds, r1);
        TV.Store(d + 2 * ds, r2);
        TV.Store(d + 3 * ds, r3);
        TV.Store(d + 4 * ds, r4);
        TV.Store(d + 5 * ds, r5);
    }

    /// <summary>A^T times six vectors held in registers: four pixels written <paramref name="ds"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputRow<TV>(TV m0, TV m1, TV m2, TV m3, TV m4, TV m5, float* d, nint ds, bool relu) where TV : struct, ISimd<TV>
    {
        EvenRows.Of(m0, m1, m2, m3, m4, out TV y0, out TV y2);
        OddRows.Of(m1, m2, m3, m4, m5, out TV y1, out TV y3);
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
