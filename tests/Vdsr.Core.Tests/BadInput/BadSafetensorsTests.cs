using System.Buffers.Binary;
using System.Text;
using Vdsr.Core.Checkpoints;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>Safetensors files whose header lies about lengths, offsets or types.</summary>
public sealed class BadSafetensorsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A file of the 8-byte length (<paramref name="claimedLength"/> when given), the header and <paramref name="dataBytes"/> zero bytes.</summary>
    private string Write(string header, int dataBytes, ulong? claimedLength = null, byte[]? headerBytes = null)
    {
        var json = headerBytes ?? Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimedLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        string path = _temp.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void Refused(string path, string fragment) => UserErrorAssert.RefusesCheaply(path, () => CheckpointFile.Load(path), fragment);

    private const string OneTensor = """{"input.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""";

    [Fact]
    public void HandBuiltFileLoads() => Assert.Equal([2, 2], CheckpointFile.Load(Write(OneTensor, 16))["input.weight"].Shape);

    [Fact]
    public void HeaderLengthBeyondTheFileIsRefused() =>
        Refused(Write(OneTensor, 16, claimedLength: (ulong)OneTensor.Length + 100), "truncated safetensors file (the header is longer than the file)");

    [Fact]
    public void HeaderLengthClaimingTwoGigabytesIsRefusedBeforeAllocating() =>
        Refused(Write(OneTensor, 16, claimedLength: 2UL << 30), "truncated safetensors file (the header is longer than the file)");

    [Fact]
    public void OffsetsBeyondTheDataAreRefused() =>
        Refused(Write("""{"input.weight":{"dtype":"F32","shape":[250000],"data_offsets":[0,1000000]}}""", 16),
            "truncated (tensor 'input.weight' ends at byte 1000000 of a 16-byte data section)");

    [Fact]
    public void ShapeLargerThanItsOffsetsIsRefused() =>
        Refused(Write("""{"input.weight":{"dtype":"F32","shape":[3,2],"data_offsets":[0,16]}}""", 16),
            "tensor 'input.weight' [3, 2] needs more bytes than data_offsets span (16)");

    [Fact]
    public void ShapeSmallerThanItsOffsetsIsRefused() =>
        Refused(Write("""{"input.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}""", 16),
            "tensor 'input.weight' [2] needs 8 bytes but data_offsets span 16");

    [Fact]
    public void OverlappingOffsetsAreRefused() =>
        Refused(Write("""{"input.weight":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"output.weight":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""", 24),
            "tensors 'input.weight' and 'output.weight' overlap in the data section");

    [Fact]
    public void ShapeWhoseProductOverflowsIsRefused() =>
        Refused(Write("""{"input.weight":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}""", 0),
            "tensor 'input.weight' [4611686018427387904, 4] needs more bytes than data_offsets span (0)");

    [Fact]
    public void UnknownDtypeIsRefused() =>
        Refused(Write("""{"input.weight":{"dtype":"Q7","shape":[4],"data_offsets":[0,16]}}""", 16), "tensor 'input.weight' has dtype Q7; only F32 is supported");

    [Fact]
    public void MissingDtypeIsRefused() =>
        Refused(Write("""{"input.weight":{"shape":[4],"data_offsets":[0,16]}}""", 16), "tensor 'input.weight' has a malformed safetensors entry");

    [Fact]
    public void HeaderThatIsNotUtf8IsRefused() =>
        Refused(Write("", 16, headerBytes: [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']), "safetensors header is not valid UTF-8 text");

    [Fact]
    public void TensorAppearingTwiceIsRefused() =>
        Refused(Write("""{"input.weight":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"input.weight":{"dtype":"F32","shape":[4],"data_offsets":[16,32]}}""", 32),
            "tensor 'input.weight' appears twice");

    [Fact]
    public void NameWithALineBreakStaysOnOneLine()
    {
        string path = Write("{\"input\\nweight\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8);
        Refused(path, "tensor 'input\\nweight' has dtype F16");
    }

    [Fact]
    public void DeeplyNestedHeaderIsRefused() =>
        Refused(Write("{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}", 0), "safetensors header is not valid JSON");
}
