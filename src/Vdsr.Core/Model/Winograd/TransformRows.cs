using System.Runtime.CompilerServices;
using static Vdsr.Core.Model.Winograd.WinogradPoints;

namespace Vdsr.Core.Model.Winograd;

// The 1-D F(4x4,3x3) transforms split by rows, so that a column pass's results fit in registers:
// Columns loads a column and applies one half (the type argument picks it, and the JIT compiles each
// half's code separately); Of is the half's arithmetic, which the row passes use on both halves.

/// <summary>Three rows of B^T times a column of six vectors, for the input transform's column pass.</summary>
internal unsafe interface IInputRows
{
    static abstract void Columns<TV>(float* s, nint ss, out TV r0, out TV r1, out TV r2) where TV : struct, ISimd<TV>;
}

/// <summary>Rows 0, 1 and 2 of B^T.</summary>
internal readonly unsafe struct TopRows : IInputRows
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Columns<TV>(float* s, nint ss, out TV r0, out TV r1, out TV r2) where TV : struct, ISimd<TV> =>
        Of(TV.Load(s), TV.Load(s + ss), TV.Load(s + 2 * ss), TV.Load(s + 3 * ss), TV.Load(s + 4 * ss), out r0, out r1, out r2);

    /// <summary>Rows 0-2 of B^T d need only d0 to d4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Of<TV>(TV d0, TV d1, TV d2, TV d3, TV d4, out TV r0, out TV r1, out TV r2) where TV : struct, ISimd<TV>
    {
        TV ep = TV.Fma(d2, -Q2, d4), op = TV.Fma(d1, -Q2, d3) * Pf;
        r0 = TV.Fma(d0, PQ2, TV.Fma(d2, -SumSq, d4));
        r1 = ep + op;
        r2 = ep - op;
    }
}

/// <summary>Rows 3, 4 and 5 of B^T.</summary>
internal readonly unsafe struct BottomRows : IInputRows
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Columns<TV>(float* s, nint ss, out TV r3, out TV r4, out TV r5) where TV : struct, ISimd<TV> =>
        Of(TV.Load(s + ss), TV.Load(s + 2 * ss), TV.Load(s + 3 * ss), TV.Load(s + 4 * ss), TV.Load(s + 5 * ss), out r3, out r4, out r5);

    /// <summary>Rows 3-5 of B^T d need only d1 to d5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Of<TV>(TV d1, TV d2, TV d3, TV d4, TV d5, out TV r3, out TV r4, out TV r5) where TV : struct, ISimd<TV>
    {
        TV eq = TV.Fma(d2, -P2, d4), oq = TV.Fma(d1, -P2, d3) * Qf;
        r3 = eq + oq;
        r4 = eq - oq;
        r5 = TV.Fma(d1, PQ2, TV.Fma(d3, -SumSq, d5));
    }
}

/// <summary>Two rows of A^T times a column of six vectors, for the output transform's column pass.</summary>
internal unsafe interface IOutputRows
{
    static abstract void Columns<TV>(float* s, nint ss, out TV first, out TV second) where TV : struct, ISimd<TV>;
}

/// <summary>Rows 0 and 2 of A^T, which share m1 + m2 and m3 + m4.</summary>
internal readonly unsafe struct EvenRows : IOutputRows
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Columns<TV>(float* s, nint ss, out TV y0, out TV y2) where TV : struct, ISimd<TV> =>
        Of(TV.Load(s), TV.Load(s + ss), TV.Load(s + 2 * ss), TV.Load(s + 3 * ss), TV.Load(s + 4 * ss), out y0, out y2);

    /// <summary>Rows 0 and 2 of A^T m need only m0 to m4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Of<TV>(TV m0, TV m1, TV m2, TV m3, TV m4, out TV y0, out TV y2) where TV : struct, ISimd<TV>
    {
        TV sp = m1 + m2, sq = m3 + m4;
        y0 = m0 + sp + sq;
        y2 = TV.Fma(sq, Q2, sp * P2);
    }
}

/// <summary>Rows 1 and 3 of A^T, which share m1 - m2 and m3 - m4.</summary>
internal readonly unsafe struct OddRows : IOutputRows
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Columns<TV>(float* s, nint ss, out TV y1, out TV y3) where TV : struct, ISimd<TV> =>
        Of(TV.Load(s + ss), TV.Load(s + 2 * ss), TV.Load(s + 3 * ss), TV.Load(s + 4 * ss), TV.Load(s + 5 * ss), out y1, out y3);

    /// <summary>Rows 1 and 3 of A^T m need only m1 to m5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Of<TV>(TV m1, TV m2, TV m3, TV m4, TV m5, out TV y1, out TV y3) where TV : struct, ISimd<TV>
    {
        TV dp = m1 - m2, dq = m3 - m4;
        y1 = TV.Fma(dq, Qf, dp * Pf);
        y3 = TV.Fma(dq, Q3, TV.Fma(dp, P3, m5));
    }
}
