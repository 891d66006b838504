using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Vdsr.Core.Checkpoints.Torch;

namespace Vdsr.Core.Checkpoints;

/// <summary>
/// The safetensors layout: an 8-byte little-endian header length, a JSON header mapping each
/// tensor name to {dtype, shape, data_offsets} (offsets relative to the end of the header) plus an
/// optional "__metadata__" string map, then the raw little-endian tensor bytes.
/// </summary>
internal static class Safetensors
{
    public const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100_000_000;

    public sealed record Contents(List<KeyValuePair<string, TensorData>> Tensors, Dictionary<string, string> Metadata);

    /// <summary>Whether the bytes start like a safetensors file (plausible header length, then '{').</summary>
    public static bool LooksLike(ReadOnlySpan<byte> head, long fileLength) =>
        head.Length >= 9
        && BinaryPrimitives.ReadUInt64LittleEndian(head) is var n && n >= 2 && n <= MaxHeaderBytes
        && (long)n <= fileLength - 8 && head[8] == (byte)'{';

    public static Contents Read(byte[] file)
    {
        if (file.Length < 8) throw new InvalidDataException("truncated (shorter than the 8-byte safetensors header length)");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || (long)headerLength > file.Length - 8)
            throw new InvalidDataException($"truncated or not safetensors (header length {headerLength}, file holds {file.Length} bytes)");
        int dataStart = 8 + (int)headerLength;
        long dataLength = file.Length - dataStart;

        if (!System.Text.Unicode.Utf8.IsValid(file.AsSpan(8, (int)headerLength)))
            throw new InvalidDataException("safetensors header is not valid UTF-8 text");
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"safetensors header is not valid JSON ({e.Message})");
        }
        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException("safetensors header is not a JSON object");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<KeyValuePair<string, TensorData>>();
            var spans = new List<(long Start, long End, string Name)>();
            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw new InvalidDataException("safetensors __metadata__ is not a string map");
                    foreach (var item in property.Value.EnumerateObject())
                        metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String
                            ? item.Value.GetString()!
                            : throw new InvalidDataException($"safetensors metadata '{item.Name}' is not a string");
                    continue;
                }
                var (tensor, start, end) = ReadTensor(property.Name, property.Value, file, dataStart, dataLength);
                tensors.Add(new(property.Name, tensor));
                spans.Add((start, end, property.Name));
            }
            CheckNoOverlap(spans);
            return new Contents(tensors, metadata);
        }
    }

    /// <summary>Two tensors may not share bytes: each is its own copy when read, and the format forbids it.</summary>
    private static void CheckNoOverlap(List<(long Start, long End, string Name)> spans)
    {
        var sorted = spans.Where(s => s.End > s.Start).OrderBy(s => s.Start).ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i].Start < sorted[i - 1].End)
                throw new InvalidDataException($"tensors '{sorted[i - 1].Name}' and '{sorted[i].Name}' overlap in the data section (data_offsets [{sorted[i - 1].Start}, {sorted[i - 1].End}] and [{sorted[i].Start}, {sorted[i].End}])");
    }

    private static (TensorData Tensor, long Start, long End) ReadTensor(string name, JsonElement info, byte[] file, int dataStart, long dataLength)
    {
        try
        {
            string dtype = info.GetProperty("dtype").GetString() ?? "";
            if (dtype != "F32")
                throw new InvalidDataException($"tensor '{name}' has dtype {dtype}; only F32 is supported");
            var shape = info.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = info.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            if (shape.Any(s => s < 0) || offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                throw new InvalidDataException($"tensor '{name}' has an invalid shape or data_offsets");
            if (offsets[1] > dataLength)
                throw new InvalidDataException($"truncated (tensor '{name}' ends at byte {offsets[1]} of a {dataLength}-byte data section)");
            // The byte span is within the file, so a shape that needs more is refused before its product can overflow.
            long spanFloats = (offsets[1] - offsets[0]) / sizeof(float);
            long count = 1;
            foreach (long size in shape)
            {
                if (size != 0 && count > spanFloats / size && !shape.Contains(0))
                    throw new InvalidDataException($"tensor '{name}' [{string.Join(", ", shape)}] needs more bytes than data_offsets span ({offsets[1] - offsets[0]})");
                count *= size;
            }
            if (offsets[1] - offsets[0] != count * sizeof(float))
                throw new InvalidDataException($"tensor '{name}' [{string.Join(", ", shape)}] needs {count * sizeof(float)} bytes but data_offsets span {offsets[1] - offsets[0]}");
            var data = RawFloats.Read(file.AsSpan(dataStart + (int)offsets[0], (int)(count * sizeof(float))));
            return (new TensorData(shape, data), offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"tensor '{name}' has a malformed safetensors entry ({e.Message})");
        }
    }

    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, TensorData>> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var list = tensors.ToList();
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata.Count > 0)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in list)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (var s in tensor.Shape) writer.WriteNumberValue(s);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += tensor.ElementCount * sizeof(float);
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        // Pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does.
        while (json.Length % 8 != 0) json.WriteByte((byte)' ');

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        json.Position = 0;
        json.CopyTo(stream);
        foreach (var (_, tensor) in list) RawFloats.Write(stream, tensor.Data);
    }
}
