using System.Globalization;
using System.Security.Cryptography;
using Vdsr.Core.Data;
using Vdsr.Core.Model;
using static TorchSharp.torch;

namespace Vdsr.Core.Training;

/// <summary>
/// Cached-teacher distillation: the teacher's outputs for every training patch are computed once
/// (the same forward the trainer would run per step) and kept in a <see cref="TeacherOutputFile"/>
/// beside the patches; a later run with the same teacher and training file reuses it.
/// </summary>
public static class TeacherCache
{
    /// <summary>Where the outputs of a training file are kept by default: "train.h5" -> "train.teacher.h5".</summary>
    public static string DefaultPath(string dataPath) =>
        Path.Combine(Path.GetDirectoryName(dataPath) ?? "", Path.GetFileNameWithoutExtension(dataPath) + ".teacher.h5");

    /// <summary>What the cached outputs depend on: the teacher's weights and plan, and the training file.</summary>
    public static string Source(VdsrNet teacher, string dataPath, long patchCount, int patchSize)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, weights) in ModelStore.ToStateDict(teacher).Entries)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(weights.Data.AsSpan()));
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"teacher sha256:{Convert.ToHexStringLower(hash.GetHashAndReset())} ({teacher.InferencePlan}); data {Path.GetFileName(dataPath)}, {new FileInfo(dataPath).Length} bytes, {patchCount} patches of {patchSize}x{patchSize}");
    }

    /// <summary>
    /// Makes sure <paramref name="cachePath"/> holds <paramref name="teacher"/>'s outputs for
    /// <paramref name="dataPath"/>: reused when its source matches, written (atomically) otherwise.
    /// Returns true when it was written.
    /// </summary>
    public static bool Ensure(VdsrNet teacher, string dataPath, string cachePath,
        IProgress<(long Done, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        long count;
        int size;
        using (var data = HdfPatchDataset.Open(dataPath, new HdfPatchDatasetOptions { Workers = 0 }))
            (count, size) = (data.PatchCount, data.PatchSize);
        string source = Source(teacher, dataPath, count, size);
        if (TeacherOutputFile.ReadSource(cachePath) == source) return false;
        var device = teacher.LayerWeight(0).device;
        teacher.eval();
        TeacherOutputFile.Write(dataPath, cachePath, source, (inputs, n) => Outputs(teacher, inputs, n, size, device), progress, cancellationToken);
        return true;
    }

    /// <summary>The teacher's forward on n patches, as the trainer runs it.</summary>
    public static float[] Outputs(VdsrNet teacher, float[] inputs, int n, int patchSize, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var output = teacher.forward(tensor(inputs, [n, 1, patchSize, patchSize]).to(device));
        return output.contiguous().cpu().data<float>().ToArray();
    }
}
