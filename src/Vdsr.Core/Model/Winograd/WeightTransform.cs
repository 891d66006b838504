namespace Vdsr.Core.Model.Winograd;

/// <summary>
/// U = G g G^T for every (output, input) channel pair, in float64 and rounded once to float32, laid
/// out for the products as U[t, c, o] (t = 6 r + k, rows of C padded to <c>cp</c>, columns of O to
/// <c>op</c>; the padding is zero).
/// </summary>
internal static unsafe class WeightTransform
{
    /// <param name="w">The [O, C, 3, 3] weight, contiguous.</param>
    /// <param name="u">Room for 36 * cp * op floats.</param>
    public static void Run(float* w, int o, int c, int cp, int op, float* u)
    {
        new Span<float>(u, TileTransforms.Positions * cp * op).Clear();
        Span<double> cols = stackalloc double[TileTransforms.Alpha * 3]; // (G g)[r, j]
        Span<double> col = stackalloc double[TileTransforms.Alpha];
        Span<double> row = stackalloc double[TileTransforms.Alpha];
        nint tStride = (nint)cp * op;
        for (int co = 0; co < o; co++)
        for (int ci = 0; ci < c; ci++)
        {
            float* g = w + ((nint)co * c + ci) * 9;
            for (int j = 0; j < 3; j++)
            {
                WinogradPoints.Filter(g[j], g[3 + j], g[6 + j], col);
                for (int r = 0; r < TileTransforms.Alpha; r++) cols[r * 3 + j] = col[r];
            }
            float* dst = u + (nint)ci * op + co;
            for (int r = 0; r < TileTransforms.Alpha; r++)
            {
                WinogradPoints.Filter(cols[r * 3], cols[r * 3 + 1], cols[r * 3 + 2], row);
                for (int k = 0; k < TileTransforms.Alpha; k++)
                    dst[(r * TileTransforms.Alpha + k) * tStride] = (float)row[k];
            }
        }
    }
}
