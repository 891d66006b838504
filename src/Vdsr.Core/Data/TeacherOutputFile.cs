using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;
using Vdsr.Core.IO;

namespace Vdsr.Core.Data;

/// <summary>
/// A teacher network's outputs for every patch of a training file, computed once and kept beside it
/// so that distillation costs no teacher forward per step: an HDF5 file with one dataset "teacher"
/// shaped like the training file's "data" (N, 1, P, P) float32, patch i being the output for input
/// patch i as <see cref="HdfPatchDataset"/> serves it, and an attribute "source" that names the
/// teacher and the training file it was made from (a stale file is told apart by it).
/// </summary>
public static class TeacherOutputFile
{
    public const string Dataset = "teacher";
    public const string SourceAttribute = "source";

    /// <summary>
    /// Writes the outputs of <paramref name="teach"/> (inputs, count -> outputs of the same length)
    /// for every patch of <paramref name="dataPath"/>, in the file's order, blocks of its chunk length.
    /// </summary>
    public static void Write(string dataPath, string outputPath, string source, Func<float[], int, float[]> teach,
        IProgress<(long Done, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        using var data = HdfPatchDataset.Open(dataPath, new HdfPatchDatasetOptions { Workers = 0 });
        long count = data.PatchCount;
        int size = data.PatchSize, area = size * size, block = data.BlockPatches;
        uint[] chunks = [(uint)block, 1, (uint)size, (uint)size];
        var cache = new StreamingChunkCache();
        var teacher = new H5Dataset<float[]>(fileDims: TrainingSetLayout.Dimensions(count, size), chunks: chunks,
            datasetCreation: new H5DatasetCreation(ChunkCache: cache));
        var file = new H5File { [Dataset] = teacher };
        file.Attributes[SourceAttribute] = source;
        using var input = HdfPatchDataset.OpenFile(dataPath);
        var inputs = input.Dataset(TrainingSetLayout.InputDataset);
        AtomicFile.Write(outputPath, stream =>
        {
            using var writer = file.BeginWrite(stream);
            var buffer = new float[block * area];
            for (long start = 0; start < count; start += block)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = (int)Math.Min(block, count - start);
                var slab = new HyperslabSelection(4, [(ulong)start, 0, 0, 0], [(ulong)n, 1, (ulong)size, (ulong)size]);
                var patches = n == block ? buffer : new float[n * area];
                inputs.Read(patches, slab, memoryDims: [(ulong)patches.Length]);
                var outputs = teach(patches, n);
                if (outputs.Length != n * area) throw new InvalidOperationException($"the teacher gave {outputs.Length} values for {n} patches of {size}x{size}");
                writer.Write(teacher, outputs, new HyperslabSelection(0, (ulong)outputs.Length), slab);
                cache.WriteOut();
                progress?.Report((start + n, count));
            }
        });
    }

    /// <summary>The <see cref="SourceAttribute"/> of an existing file, or null when there is no file or it has none.</summary>
    public static string? ReadSource(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var file = H5File.OpenRead(path);
            return file.AttributeExists(SourceAttribute) ? file.Attribute(SourceAttribute).Read<string>() : null;
        }
        catch (Exception)
        {
            return null; // damaged or foreign: rebuilt by the caller like a stale one
        }
    }

    /// <summary>Refuses, in one line naming the file, teacher outputs that do not fit a training file of this shape.</summary>
    public static void Check(string path, long patchCount, int patchSize)
    {
        using var reader = new Reader(path);
        var dims = reader.Dimensions;
        if (!dims.SequenceEqual(TrainingSetLayout.Dimensions(patchCount, patchSize)))
            throw new VdsrUserException($"{path}: teacher outputs are ({string.Join(", ", dims)}) but the training file holds ({string.Join(", ", TrainingSetLayout.Dimensions(patchCount, patchSize))})");
    }

    /// <summary>One open handle on the "teacher" dataset.</summary>
    public sealed class Reader : IDisposable
    {
        private readonly NativeFile _file;
        private readonly IH5Dataset _teacher;
        private readonly string _path;

        public Reader(string path)
        {
            _path = path;
            if (!File.Exists(path)) throw new VdsrUserException($"{path}: file not found");
            _file = HdfPatchDataset.OpenFile(path);
            try
            {
                if (!_file.LinkExists(Dataset)) throw new VdsrUserException($"{path}: no dataset '{Dataset}' (not a file of teacher outputs)");
                _teacher = _file.Dataset(Dataset);
                if (_teacher.Type.Class != H5DataTypeClass.FloatingPoint || _teacher.Type.Size != 4)
                    throw new VdsrUserException($"{path}: '{Dataset}' is not float32");
            }
            catch (Exception e)
            {
                _file.Dispose();
                if (e is VdsrUserException) throw;
                throw new VdsrUserException($"{path}: damaged HDF5 file ({e.GetType().Name}: {ErrorText.OneLine(e.Message)})", e);
            }
        }

        public ulong[] Dimensions => _teacher.Space.Dimensions;

        public void Read(float[] destination, HyperslabSelection selection)
        {
            try
            {
                _teacher.Read(destination, selection, memoryDims: [(ulong)destination.Length]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new VdsrUserException($"{_path}: cannot read teacher outputs ({ErrorText.OneLine(e.Message)})", e);
            }
        }

        public void Dispose() => _file.Dispose();
    }
}
