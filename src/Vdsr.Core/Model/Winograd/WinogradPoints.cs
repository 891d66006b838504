namespace Vdsr.Core.Model.Winograd;

/// <summary>
/// The interpolation points of F(4,3) and the transform coefficients they give. The points are
/// the symmetric set {0, +p, -p, +q, -q, infinity} (Toom-Cook with the point at infinity standing
/// for the leading coefficient); the six transformed positions are numbered in that order.
/// <para>
/// For the transposed Toom-Cook construction (y = A^T [(G g) . (B^T d)]):
/// B^T = diag(N) V^-T with V the 6x6 Vandermonde matrix of the points, N_j the product of
/// (a_j - a_l) over the other finite points; G = diag(1/N) times the filter evaluated at the points;
/// A^T evaluates at the points. Row j of B^T holds the coefficients of prod_{l != j} (x - a_l):
/// <list type="bullet">
/// <item>point 0: x^4 - (p^2 + q^2) x^2 + p^2 q^2 (and infinity: x times that);</item>
/// <item>points +-p: x (x^2 - q^2)(x +- p), i.e. even part d4 - q^2 d2, odd part p (d3 - q^2 d1);</item>
/// <item>points +-q: the same with p and q swapped.</item>
/// </list>
/// </para>
/// <para>
/// p = 5/8, q = 3/2 rather than Lavin and Gray's p = 1, q = 2: every coefficient is still exact in
/// float32 (dyadic fractions: 25/64, 225/256, 9/4, 27/8, ...), and the transforms amplify rounding
/// less. Measured on random 64->64 layers (ReLU'd normal input, He-scaled weights) against a
/// float64 conv: RMS relative error 6.5e-7 with {+-5/8, +-3/2}, 1.43e-6 with {+-1, +-2},
/// 1.44e-6 with {+-1, +-1/2}, 9.4e-7 with {+-1/2, +-2} (direct float32 conv: 1.6e-7); max error
/// over max |y| 1.6e-6 against 8.3e-6 for {+-1, +-2}. The optimum is flat around p = 0.6-0.7, q = 1.5.
/// </para>
/// </summary>
internal static class WinogradPoints
{
    public const double P = 0.625;
    public const double Q = 1.5;

    // Input transform B^T (float32, applied to the data).
    public const float PQ2 = (float)(P * P * Q * Q);   // p^2 q^2
    public const float SumSq = (float)(P * P + Q * Q); // p^2 + q^2
    public const float P2 = (float)(P * P);
    public const float Q2 = (float)(Q * Q);
    public const float Pf = (float)P;
    public const float Qf = (float)Q;

    // Output transform A^T (float32): y_i = m_0 [i = 0] + p^i (m_1 + (-1)^i m_2) + q^i (m_3 + (-1)^i m_4) + m_5 [i = 3].
    public const float P3 = (float)(P * P * P);
    public const float Q3 = (float)(Q * Q * Q);

    // Filter transform G (float64): the filter evaluated at each point over N_j.
    public const double InvN0 = 1.0 / (P * P * Q * Q);
    public const double InvNp = 1.0 / (2 * P * P * (P * P - Q * Q));
    public const double InvNq = 1.0 / (2 * Q * Q * (Q * Q - P * P));

    /// <summary>G g for one 3-tap filter (g0, g1, g2), in float64.</summary>
    public static void Filter(double g0, double g1, double g2, Span<double> u)
    {
        u[0] = g0 * InvN0;
        double ep = g0 + P * P * g2, op = P * g1;
        u[1] = (ep + op) * InvNp;
        u[2] = (ep - op) * InvNp;
        double eq = g0 + Q * Q * g2, oq = Q * g1;
        u[3] = (eq + oq) * InvNq;
        u[4] = (eq - oq) * InvNq;
        u[5] = g2;
    }
}
