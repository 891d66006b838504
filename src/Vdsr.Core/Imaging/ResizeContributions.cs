namespace Vdsr.Core.Imaging;

/// <summary>
/// The taps of one 1-D bicubic resampling: output sample i is
/// sum over k of Weights[i * TapCount + k] * input[Indices[i * TapCount + k]], summed in k order.
/// </summary>
internal sealed class ResizeContributions
{
    private const double KernelWidth = 4.0;

    public int OutLength { get; }
    public int TapCount { get; }
    public double[] Weights { get; }
    /// <summary>0-based input indices, already mirrored into [0, inLength).</summary>
    public int[] Indices { get; }

    private ResizeContributions(int outLength, int tapCount, double[] weights, int[] indices)
    {
        OutLength = outLength;
        TapCount = tapCount;
        Weights = weights;
        Indices = indices;
    }

    public static ResizeContributions Create(int inLength, int outLength, double scale)
    {
        bool antialias = scale < 1;
        double width = antialias ? KernelWidth / scale : KernelWidth;
        int taps = (int)Math.Ceiling(width) + 2;
        var weights = new double[outLength * taps];
        var indices = new int[outLength * taps];
        long period = 2L * inLength;

        for (int i = 0; i < outLength; i++)
        {
            double u = (i + 1) / scale + 0.5 * (1.0 - 1.0 / scale);
            double left = Math.Floor(u - width / 2.0);
            var row = weights.AsSpan(i * taps, taps);
            for (int k = 0; k < taps; k++)
            {
                double index = left + k;
                row[k] = antialias ? scale * Cubic(scale * (u - index)) : Cubic(u - index);
                // Mirror with the edge sample repeated: 1..n, n..1 (1-based), periodic beyond.
                long m = ((long)index - 1) % period;
                if (m < 0) m += period;
                indices[i * taps + k] = (int)(m < inLength ? m : period - 1 - m);
            }
            double sum = PairwiseSum.Sum(row);
            for (int k = 0; k < taps; k++) row[k] /= sum;
        }
        return DropAllZeroTaps(outLength, taps, weights, indices);
    }

    /// <summary>Keys' cubic convolution kernel with a = -0.5.</summary>
    private static double Cubic(double x)
    {
        double ax = Math.Abs(x);
        double ax2 = ax * ax;
        double ax3 = ax2 * ax;
        if (ax <= 1) return 1.5 * ax3 - 2.5 * ax2 + 1.0;
        if (ax <= 2) return -0.5 * ax3 + 2.5 * ax2 - 4.0 * ax + 2.0;
        return 0.0;
    }

    /// <summary>imresize drops tap columns whose weight is zero for every output sample.</summary>
    private static ResizeContributions DropAllZeroTaps(int outLength, int taps, double[] weights, int[] indices)
    {
        var keep = new List<int>(taps);
        for (int k = 0; k < taps; k++)
        {
            for (int i = 0; i < outLength; i++)
            {
                if (weights[i * taps + k] != 0) { keep.Add(k); break; }
            }
        }
        if (keep.Count == taps) return new ResizeContributions(outLength, taps, weights, indices);

        int kept = keep.Count;
        var w = new double[outLength * kept];
        var idx = new int[outLength * kept];
        for (int i = 0; i < outLength; i++)
        {
            for (int j = 0; j < kept; j++)
            {
                w[i * kept + j] = weights[i * taps + keep[j]];
                idx[i * kept + j] = indices[i * taps + keep[j]];
            }
        }
        return new ResizeContributions(outLength, kept, w, idx);
    }
}
