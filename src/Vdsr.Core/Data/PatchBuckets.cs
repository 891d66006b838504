using System.Runtime.InteropServices;

namespace Vdsr.Core.Data;

/// <summary>
/// Temporary files of an external shuffle: patches are scattered to buckets by a random key,
/// then each bucket (small enough for memory) is read back whole and shuffled.
/// A record is the input patch followed by the label patch, float32.
/// </summary>
internal sealed class PatchBuckets : IDisposable
{
    private readonly string _folder;
    private readonly FileStream?[] _streams;
    private readonly long[] _counts;

    public int RecordFloats { get; }
    public int BucketCount => _counts.Length;
    public long Count(int bucket) => _counts[bucket];

    public PatchBuckets(string folder, int bucketCount, int patchSize)
    {
        _folder = folder;
        RecordFloats = 2 * patchSize * patchSize;
        _counts = new long[bucketCount];
        _streams = new FileStream?[bucketCount];
        Directory.CreateDirectory(folder);
        for (int b = 0; b < bucketCount; b++)
            _streams[b] = new FileStream(PathOf(b), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    public void Add(int bucket, ReadOnlySpan<float> input, ReadOnlySpan<float> label)
    {
        var stream = _streams[bucket] ?? throw new InvalidOperationException("buckets are closed for writing");
        stream.Write(MemoryMarshal.AsBytes(input));
        stream.Write(MemoryMarshal.AsBytes(label));
        _counts[bucket]++;
    }

    public long LargestCount => _counts.Max();

    /// <summary>Reads all records of one bucket, in the order they were added, to the start of <paramref name="records"/>.</summary>
    public void Read(int bucket, float[] records)
    {
        var stream = _streams[bucket] ?? throw new ObjectDisposedException(nameof(PatchBuckets));
        stream.Flush();
        stream.Position = 0;
        stream.ReadExactly(MemoryMarshal.AsBytes(records.AsSpan(0, checked((int)(_counts[bucket] * RecordFloats)))));
    }

    /// <summary>Frees a bucket's disk space once it has been consumed.</summary>
    public void Delete(int bucket)
    {
        _streams[bucket]?.Dispose();
        _streams[bucket] = null;
        File.Delete(PathOf(bucket));
    }

    private string PathOf(int bucket) => Path.Combine(_folder, $"bucket{bucket:D5}.f32");

    public void Dispose()
    {
        foreach (var s in _streams)
        {
            // Closing flushes what is buffered, which fails on a full disk: the data is thrown away anyway.
            try { s?.Dispose(); }
            catch (IOException) { }
        }
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
