using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Pruning;

/// <summary>
/// Refits a filter-pruned network layer by layer so that each conv reproduces, from the pruned
/// network's own activations, the unpruned network's pre-activation outputs of the kept filters
/// (channel-pruning reconstruction, He et al. 2017 / ThiNet): a linear least-squares problem per
/// layer over every pixel of the sample patches, solved through its normal equations in float64.
/// Errors of earlier layers are compensated by later ones because each layer sees the pruned
/// network's actual inputs. Needs no labels.
/// </summary>
public static class Reconstruction
{
    /// <summary>Patches per chunk: bounds the im2col matrix (chunk x pixels x in x 9 floats).</summary>
    private const int ChunkSize = 32;

    /// <summary>Ridge term, relative to the mean diagonal of the normal matrix (keeps dead channels solvable).</summary>
    private const double RelativeRidge = 1e-12;

    /// <param name="original">The unpruned network's weights.</param>
    /// <param name="pruned">A filter-pruning result of those weights.</param>
    /// <param name="patches">Network inputs [count, 1, size, size] row-major (bicubic Y / 255).</param>
    /// <param name="layerDone">Called after each layer with (layers done, layers).</param>
    public static StateDict Refit(StateDict original, PruningResult pruned, float[] patches, int count, int size,
        Action<int, int>? layerDone = null, CancellationToken cancellationToken = default)
    {
        if (!pruned.Settings.Method.IsFilterMethod())
            throw new VdsrUserException("reconstruction refits filter-pruned networks; the level pruner keeps every filter");
        if (count < 1 || patches.Length != (long)count * size * size)
            throw new ArgumentException($"{patches.Length} values are not {count} patches of {size}x{size}");
        var source = pruned.SourceArchitecture;
        int depth = source.Depth;
        var result = new StateDict { Epoch = pruned.Weights.Epoch };

        var full = new List<Tensor>();   // the unpruned network's activations, chunk by chunk
        var small = new List<Tensor>();  // the pruned network's
        try
        {
            for (int start = 0; start < count; start += ChunkSize)
            {
                int n = Math.Min(ChunkSize, count - start);
                var chunk = tensor(patches.AsSpan(start * size * size, n * size * size).ToArray(), [n, 1, size, size]);
                full.Add(chunk);
                small.Add(chunk.alias());
            }
            for (int layer = 0; layer < depth; layer++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string name = source.LayerName(layer);
                using var weight = ToTensor(original[name]);
                using var keep = tensor(pruned.Layers[layer].KeptFilters.Select(i => (long)i).ToArray());
                bool last = layer == depth - 1;
                var refit = Solve(full, small, weight, keep, advanceFull: !last);
                result.Add(name, refit);
                if (!last)
                {
                    using var refitTensor = ToTensor(refit);
                    Advance(small, refitTensor);
                }
                // A tensor handle that escaped the dispose scopes holds its storage until its
                // finalizer runs; collecting once per layer keeps the peak near two layers' activations.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                layerDone?.Invoke(layer + 1, depth);
            }
        }
        finally
        {
            foreach (var t in full.Concat(small)) t.Dispose();
        }
        return result;
    }

    /// <summary>
    /// Least squares for one layer: rows are pixels, columns the pruned input channels x 3 x 3 taps,
    /// targets the unpruned conv's outputs at the kept filters. With <paramref name="advanceFull"/>
    /// each chunk of <paramref name="full"/> is replaced by that conv's activation (computed once
    /// for both uses).
    /// </summary>
    private static TensorData Solve(List<Tensor> full, List<Tensor> small, Tensor weight, Tensor keep, bool advanceFull)
    {
        long inputs = small[0].shape[1];
        long taps = inputs * VdsrArchitecture.KernelSize * VdsrArchitecture.KernelSize;
        long outputs = keep.shape[0];
        using var gram = zeros([taps, taps], ScalarType.Float64);
        using var cross = zeros([taps, outputs], ScalarType.Float64);
        for (int c = 0; c < full.Count; c++)
        {
            using var scope = NewDisposeScope();
            var output = nn.functional.conv2d(full[c], weight, padding: [1, 1]);
            var target = output.index_select(1, keep);
            var rows = target.permute(0, 2, 3, 1).reshape(-1, outputs).to(ScalarType.Float64);
            var columns = nn.functional.unfold(small[c], 3, padding: 1).transpose(1, 2).reshape(-1, taps).to(ScalarType.Float64);
            var columnsT = columns.t();
            gram.add_(columnsT.matmul(columns));
            cross.add_(columnsT.matmul(rows));
            if (advanceFull)
            {
                full[c].Dispose();
                full[c] = output.relu_().MoveToOuterDisposeScope();
            }
        }
        using (var _ = NewDisposeScope())
        {
            double ridge = RelativeRidge * Math.Max(gram.diagonal().mean().item<double>(), double.Epsilon);
            gram.add_(eye(taps, dtype: ScalarType.Float64).mul_(ridge));
            var solution = linalg.solve(gram, cross).t().to(ScalarType.Float32).contiguous();
            var data = solution.data<float>().ToArray();
            return new TensorData([outputs, inputs, VdsrArchitecture.KernelSize, VdsrArchitecture.KernelSize], data);
        }
    }

    /// <summary>Replaces each chunk of activations by relu(conv(chunk, weight)).</summary>
    private static void Advance(List<Tensor> chunks, Tensor weight)
    {
        for (int c = 0; c < chunks.Count; c++)
        {
            // The scope frees the handles of intermediate results (an in-place op returns a second
            // handle to the same storage, which an undisposed first handle would keep alive).
            using var scope = NewDisposeScope();
            var next = nn.functional.conv2d(chunks[c], weight, padding: [1, 1]).relu_().MoveToOuterDisposeScope();
            chunks[c].Dispose();
            chunks[c] = next;
        }
    }

    private static Tensor ToTensor(TensorData data) => tensor(data.Data, data.Shape);
}
