using System.Diagnostics;
using System.Globalization;
using Vdsr.Core.Data;

namespace Vdsr.Bench;

/// <summary>Batches per second of the HDF5 patch reader alone (shuffled epoch order, prefetch workers).</summary>
internal static class ReaderBenchmark
{
    public static void Run(string path, int batchSize, int batches, IReadOnlyList<int> workerCounts)
    {
        foreach (int workers in workerCounts)
        {
            using var dataset = HdfPatchDataset.Open(path, new HdfPatchDatasetOptions { Seed = 1, Workers = workers });
            var clock = Stopwatch.StartNew();
            int read = 0;
            foreach (var _ in dataset.Epoch(1, batchSize).Take(batches)) read++;
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"csharp reader patches={dataset.PatchCount} batch={batchSize} workers={workers} batches={read} batches_per_s={read / seconds:F1}"));
        }
    }
}
