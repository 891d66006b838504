using System.Buffers.Binary;
using System.IO.Compression;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Tests.Checkpoints;
using static Vdsr.Core.Tests.BadInput.LegacyCheckpointBytes;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>
/// Legacy and zip .pth files that lie about their tensors and storages, hostile pickles, and zip
/// entries that inflate beyond what they declare (more cases in <see cref="BadCheckpointTests"/>).
/// </summary>
public sealed class BadTorchCheckpointTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string name, byte[] bytes)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void RefusedWithLittleAllocation(string path, string fragment) =>
        UserErrorAssert.RefusesCheaply(path, () => CheckpointFile.Load(path), fragment, maxBytes: 4 << 20);

    [Fact]
    public void HandBuiltLegacyFileLoads()
    {
        // The builder the cases below bend: unbent, it gives a file the reader takes.
        var state = CheckpointFile.Load(Write("ok.pth", Consistent("input.weight", [4, 1, 3, 3])));
        Assert.Equal([4, 1, 3, 3], state["input.weight"].Shape);
        Assert.Equal(0.25f * 35, state["input.weight"].Data[35]);
    }

    [Fact]
    public void StorageShorterThanItsTensorIsRefused()
    {
        string path = Write("short.pth", Build([new Tensor("input.weight", "0", [4, 1, 3, 3], [9, 9, 3, 1])], [new Storage("0", 20, 20, 20)]));
        RefusedWithLittleAllocation(path, "tensor 'input.weight' [4, 1, 3, 3] holds more elements than storage '0' (20)");
    }

    [Fact]
    public void ViewReachingPastItsStorageIsRefused()
    {
        string path = Write("offset.pth", Build([new Tensor("input.weight", "0", [2, 2], [2, 1], Offset: 10)], [new Storage("0", 12, 12, 12)]));
        RefusedWithLittleAllocation(path, "tensor 'input.weight' [2, 2] reaches beyond the 12 elements of storage '0'");
    }

    [Fact]
    public void HugeRepeatedViewIsRefusedBeforeAllocating()
    {
        // Stride 0 repeats one element: 10^12 elements from a 4-element storage.
        string path = Write("repeat.pth", Build([new Tensor("input.weight", "0", [1_000_000, 1_000_000], [0, 0])], [new Storage("0", 4, 4, 4)]));
        RefusedWithLittleAllocation(path, "holds more elements than storage '0' (4)");
    }

    [Fact]
    public void StorageClaimingTerabytesIsRefusedBeforeAllocating()
    {
        const long claimed = 1L << 40;
        string path = Write("huge-storage.pth", Build([new Tensor("input.weight", "0", [4], [1])], [new Storage("0", claimed, claimed, 4)]));
        RefusedWithLittleAllocation(path, "truncated (the file ends inside storage '0')");
    }

    [Fact]
    public void StorageCountDisagreeingWithItsDeclarationIsRefused()
    {
        string path = Write("count.pth", Build([new Tensor("input.weight", "0", [4], [1])], [new Storage("0", 4, 5, 5)]));
        RefusedWithLittleAllocation(path, "storage '0' holds 5 elements but its tensors declare 4");
    }

    [Fact]
    public void NegativeStrideIsRefused()
    {
        string path = Write("negative.pth", Build([new Tensor("input.weight", "0", [4], [-1], Offset: 3)], [new Storage("0", 4, 4, 4)]));
        RefusedWithLittleAllocation(path, "tensor 'input.weight' has a negative size, stride or offset");
    }

    [Fact]
    public void ModuleThatContainsItselfIsRefused()
    {
        // Net() is memoised, then given {'_modules': {'loop': <itself>}} as its state: walking the
        // modules would never end (a stack overflow, which ends the process) without a depth cap.
        var pickle = new PickleBytes().Global("vdsr", "Net").EmptyTuple().Reduce().BinPut(0)
            .EmptyDict().Text("_modules").EmptyDict().Text("loop").BinGet(0).SetItem().SetItem().Build().Stop();
        string path = Write("loop.pth", [.. PickleBytes.LegacyPreamble(), .. pickle, .. new PickleBytes().EmptyList().Stop()]);
        RefusedWithLittleAllocation(path, "modules nest more than 16 deep");
    }

    /// <summary>A width-4, 20-layer VDSR state_dict as a legacy file, each tensor on its own storage, changed by <paramref name="edit"/>.</summary>
    private static byte[] LegacyVdsr(Func<List<(string Name, long[] Size)>, List<(string Name, long[] Size)>> edit)
    {
        var layers = new List<(string Name, long[] Size)> { ("input.weight", [4, 1, 3, 3]) };
        for (int i = 0; i < 18; i++) layers.Add(($"residual_layer.{i}.conv.weight", [4, 4, 3, 3]));
        layers.Add(("output.weight", [1, 4, 3, 3]));
        layers = edit(layers);
        var tensors = layers.Select((l, i) => new Tensor(l.Name, $"{i}", l.Size, RowMajorStrides(l.Size))).ToList();
        var storages = layers.Select((l, i) => l.Size.Aggregate(1L, (a, b) => a * b) is var n ? new Storage($"{i}", n, n, (int)n) : null!).ToList();
        return Build(tensors, storages);
    }

    [Fact]
    public void LegacyVdsrLoadsAsANetwork()
    {
        string path = Write("net.pth", LegacyVdsr(l => l));
        using var net = Vdsr.Core.Model.ModelStore.LoadNet(path);
        Assert.Equal(Vdsr.Core.Model.VdsrArchitecture.Uniform(20, 4), net.Architecture);
    }

    [Theory]
    [InlineData("missing", "missing tensor 'output.weight'")]
    [InlineData("extra", "unexpected tensor 'input.bias'")]
    [InlineData("wrong shape", "tensor 'residual_layer.3.conv.weight' has shape [4, 3, 3, 3], expected [4, 4, 3, 3]")]
    public void LegacyFileThatIsNotThisNetworkIsRefused(string change, string fragment)
    {
        string path = Write("net.pth", LegacyVdsr(layers => change switch
        {
            "missing" => layers.Where(l => l.Name != "output.weight").ToList(),
            "extra" => [.. layers, ("input.bias", [4])],
            _ => layers.Select(l => l.Name == "residual_layer.3.conv.weight" ? (l.Name, new long[] { 4, 3, 3, 3 }) : l).ToList(),
        }));
        UserErrorAssert.Refuses(path, () => Vdsr.Core.Model.ModelStore.LoadNet(path), fragment);
    }

    public static TheoryData<string, string> HostilePickles() => new()
    {
        { "subprocess.Popen via REDUCE", "forbidden pickle global 'subprocess.Popen'" },
        { "builtins.eval via REDUCE", "forbidden pickle global 'builtins.eval'" },
        { "os.system via INST", "forbidden pickle global 'os.system'" },
        { "posix.system via NEWOBJ", "forbidden pickle global 'posix.system'" },
        { "os.system via BUILD", "forbidden pickle global 'os.system'" },
        { "OBJ", "pickle opcode 0x6f at offset" },
        { "STACK_GLOBAL", "pickle opcode STACK_GLOBAL at offset" },
        { "EXT1", "pickle opcode 0x82 at offset" },
        { "BUILD on an allowed class", "malformed" },
    };

    private static byte[] HostilePickle(string kind) => kind switch
    {
        "subprocess.Popen via REDUCE" => new PickleBytes().Global("subprocess", "Popen").Text("id").Tuple1().Reduce().Stop(),
        "builtins.eval via REDUCE" => new PickleBytes().Global("builtins", "eval").Text("1+1").Tuple1().Reduce().Stop(),
        "os.system via INST" => new PickleBytes().Mark().Text("id").Inst("os", "system").Stop(),
        "posix.system via NEWOBJ" => new PickleBytes().Global("posix", "system").Text("id").Tuple1().NewObj().Stop(),
        "os.system via BUILD" => new PickleBytes().Global("collections", "OrderedDict").EmptyTuple().Reduce().Global("os", "system").Build().Stop(),
        "OBJ" => new PickleBytes().Mark().Global("collections", "OrderedDict").Obj().Stop(),
        "STACK_GLOBAL" => new PickleBytes().Text("os").Text("system").StackGlobal().Stop(),
        "EXT1" => new PickleBytes().Ext1(1).Stop(),
        _ => new PickleBytes().Global("torch", "FloatStorage").EmptyDict().Build().Stop(),
    };

    [Theory]
    [MemberData(nameof(HostilePickles))]
    public void HostileLegacyPickleIsRefused(string kind, string fragment)
    {
        string path = Write("hostile.pth", [.. PickleBytes.LegacyPreamble(), .. HostilePickle(kind)]);
        UserErrorAssert.Refuses(path, () => CheckpointFile.Load(path), fragment);
    }

    [Theory]
    [MemberData(nameof(HostilePickles))]
    public void HostileZipPickleIsRefused(string kind, string fragment)
    {
        string path = Write("hostile-zip.pth", Zip(("hostile/data.pkl", HostilePickle(kind), CompressionLevel.NoCompression)));
        UserErrorAssert.Refuses(path, () => CheckpointFile.Load(path), fragment);
    }

    [Theory]
    [InlineData("legacy")]
    [InlineData("zip")]
    public void BadMagicIsNotACheckpoint(string layout)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("checkpoints", layout == "zip" ? "ddp_state_dict_width4.pth" : "legacy_state_dict_width4.pth"));
        bytes[layout == "zip" ? 2 : 6] ^= 0x01;
        string path = Write("bad-magic.pth", bytes);
        UserErrorAssert.Refuses(path, () => CheckpointFile.Load(path), "not a checkpoint");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(2_000)]
    [InlineData(10_000)]
    [InlineData(13_000)]
    public void TruncatedSmallLegacyFileIsRefused(int length)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("checkpoints", "legacy_state_dict_width4.pth"));
        string path = Write("cut.pth", bytes[..length]);
        UserErrorAssert.Refuses(path, () => CheckpointFile.Load(path), "truncated");
    }

    /// <summary>The width-4 zip checkpoint rebuilt with one entry replaced (or removed when the content is null).</summary>
    private static byte[] ZipFixtureWith(string entrySuffix, byte[]? content, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var source = ZipFile.OpenRead(TestPaths.Fixture("checkpoints", "ddp_state_dict_width4.pth"));
        var entries = new List<(string, byte[], CompressionLevel)>();
        foreach (var entry in source.Entries)
        {
            bool replaced = entry.FullName.EndsWith(entrySuffix, StringComparison.Ordinal);
            if (replaced && content is null) continue;
            using var s = entry.Open();
            using var buffer = new MemoryStream();
            s.CopyTo(buffer);
            entries.Add((entry.FullName, replaced ? content! : buffer.ToArray(), replaced ? level : CompressionLevel.NoCompression));
        }
        return Zip([.. entries]);
    }

    private static byte[] Zip(params (string Name, byte[] Content, CompressionLevel Level)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content, level) in entries)
                using (var s = zip.CreateEntry(name, level).Open())
                    s.Write(content);
        return buffer.ToArray();
    }

    [Fact]
    public void ZipWithoutAStorageEntryIsRefused()
    {
        string path = Write("no-storage.pth", ZipFixtureWith("/data/0", null));
        UserErrorAssert.Refuses(path, () => CheckpointFile.Load(path), "but the archive has no ddp_state_dict_width4/data/0");
    }

    [Fact]
    public void ZipStorageShorterThanDeclaredIsRefused()
    {
        string path = Write("short-storage.pth", ZipFixtureWith("/data/0", new byte[100]));
        UserErrorAssert.Refuses(path, () => CheckpointFile.Load(path), "ddp_state_dict_width4/data/0 holds 100 bytes but its tensors declare 144 float32 values");
    }

    [Fact]
    public void ZipEntryInflatingBeyondItsDeclaredSizeIsCutOff()
    {
        // 50 MB of zeros deflated to about 50 KB, with the sizes in both headers patched to the 576
        // bytes the storage declares: reading stops there (no 50 MB inflated) and the CRC refuses it.
        var bytes = ZipFixtureWith("/data/0", ZerosDeflated(50_000_000), CompressionLevel.NoCompression);
        PatchUncompressedSize(bytes, "ddp_state_dict_width4/data/0", 576);
        string path = Write("bomb.pth", bytes);

        RefusedWithLittleAllocation(path, "damaged zip entry ddp_state_dict_width4/data/0 (its CRC-32 does not match its content)");
    }

    [Fact]
    public void ZipStorageWithAFlippedByteIsRefused()
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("checkpoints", "ddp_state_dict_width4.pth"));
        var name = System.Text.Encoding.ASCII.GetBytes("ddp_state_dict_width4/data/0");
        int data = bytes.AsSpan().IndexOf(name) + name.Length;
        int extra = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(data - name.Length - 2));
        bytes[data + extra + 10] ^= 0x40; // inside the stored floats of storage 0
        string path = Write("flipped.pth", bytes);

        UserErrorAssert.Refuses(path, () => CheckpointFile.Load(path), "damaged zip entry ddp_state_dict_width4/data/0 (its CRC-32 does not match its content)");
    }

    [Fact]
    public void ZipPickleDeclaringGigabytesIsRefusedBeforeAllocating()
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("checkpoints", "ddp_state_dict_width4.pth"));
        PatchUncompressedSize(bytes, "ddp_state_dict_width4/data.pkl", 0x7FFF_0000);
        string path = Write("big-pickle.pth", bytes);

        RefusedWithLittleAllocation(path, "zip entry ddp_state_dict_width4/data.pkl declares 2147418112 bytes, more than the");
    }

    private static byte[] ZerosDeflated(int count)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            deflate.Write(new byte[count]);
        return output.ToArray();
    }

    /// <summary>
    /// Sets the uncompressed size of an entry in its local header and in the central directory.
    /// With <see cref="CompressionLevel.NoCompression"/> a deflated payload is stored as is, so the
    /// method byte is also set to 8 (deflate) to make the reader inflate it.
    /// </summary>
    private static void PatchUncompressedSize(byte[] zip, string name, uint size)
    {
        var nameBytes = System.Text.Encoding.ASCII.GetBytes(name);
        for (int at = 0; at + 46 < zip.Length; at++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at));
            if (signature == 0x04034b50 && zip.AsSpan(at + 30).StartsWith(nameBytes) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 26)) == nameBytes.Length)
            {
                if (BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 8)) == 0 && size == 576) BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(at + 8), 8);
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(at + 22), size);
            }
            if (signature == 0x02014b50 && zip.AsSpan(at + 46).StartsWith(nameBytes) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28)) == nameBytes.Length)
            {
                if (BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 10)) == 0 && size == 576) BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(at + 10), 8);
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(at + 24), size);
            }
        }
    }
}
