namespace Vdsr.Core.Pruning;

/// <summary>
/// The importance of each output filter of a conv weight [out, in, kh, kw] (row-major), as NNI
/// computes it: the smaller the metric, the sooner the filter is removed.
/// </summary>
public static class FilterMetrics
{
    public static double[] Compute(PruningMethod method, float[] weight, int filters)
    {
        if (filters < 1 || weight.Length % filters != 0)
            throw new ArgumentException($"{weight.Length} weights do not split into {filters} filters");
        int size = weight.Length / filters;
        return method switch
        {
            PruningMethod.L1 => Norms(weight, filters, size, p: 1),
            PruningMethod.L2 => Norms(weight, filters, size, p: 2),
            PruningMethod.Fpgm => GeometricMedianDistances(weight, filters, size),
            _ => throw new ArgumentException($"{method} is not a filter criterion", nameof(method)),
        };
    }

    private static double[] Norms(float[] weight, int filters, int size, int p)
    {
        var metric = new double[filters];
        for (int f = 0; f < filters; f++)
        {
            double sum = 0;
            var w = weight.AsSpan(f * size, size);
            foreach (float v in w) sum += p == 1 ? Math.Abs(v) : (double)v * v;
            metric[f] = p == 1 ? sum : Math.Sqrt(sum);
        }
        return metric;
    }

    /// <summary>
    /// FPGM (He et al. 2019): the sum of Euclidean distances from a filter to every other filter of
    /// the layer. Filters with the smallest sum lie nearest the geometric median and are the most
    /// replaceable by the others.
    /// </summary>
    private static double[] GeometricMedianDistances(float[] weight, int filters, int size)
    {
        var metric = new double[filters];
        for (int a = 0; a < filters; a++)
        {
            for (int b = a + 1; b < filters; b++)
            {
                double sum = 0;
                for (int i = 0; i < size; i++)
                {
                    double d = (double)weight[a * size + i] - weight[b * size + i];
                    sum += d * d;
                }
                double distance = Math.Sqrt(sum);
                metric[a] += distance;
                metric[b] += distance;
            }
        }
        return metric;
    }
}
