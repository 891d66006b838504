using PureHDF.VOL.Native;

namespace Vdsr.Core.Data;

/// <summary>
/// PureHDF's default writing chunk cache keeps every chunk until the file is closed (the whole
/// data set in memory). This one holds the chunks of the current write only; the builder calls
/// <see cref="WriteOut"/> after each write. Writing a chunk from inside GetChunk, i.e. in the middle
/// of a PureHDF write, corrupts the chunk bookkeeping of PureHDF 2.2.0, hence the explicit call.
/// </summary>
internal sealed class StreamingChunkCache : IWritingChunkCache
{
    private readonly SortedDictionary<ulong, Memory<byte>> _held = [];
    private Action<ulong, Memory<byte>>? _chunkWriter;

    public Memory<byte> GetChunk(ulong index, Func<Memory<byte>> chunkAllocator, Action<ulong, Memory<byte>> chunkWriter)
    {
        _chunkWriter = chunkWriter;
        if (!_held.TryGetValue(index, out var chunk))
            _held[index] = chunk = chunkAllocator();
        return chunk;
    }

    /// <summary>Writes the held chunks to the file; each must be complete (chunks can be written once).</summary>
    public void WriteOut()
    {
        if (_chunkWriter is not null) Flush(_chunkWriter);
    }

    public void Flush(Action<ulong, Memory<byte>> chunkWriter)
    {
        foreach (var (index, chunk) in _held) chunkWriter(index, chunk);
        _held.Clear();
    }
}
