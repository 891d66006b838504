using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;
using Xunit.Abstractions;

namespace Vdsr.Core.Tests.Checkpoints;

/// <summary>Every bad file gives one CheckpointFormatException whose one-line message names the file.</summary>
public class BadCheckpointTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CheckpointFormatException AssertRejected(string path, Action action, string expectedFragment)
    {
        var e = Assert.Throws<CheckpointFormatException>(action);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(expectedFragment, e.Message);
        return e;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static TheoryData<string, string> TruncationCases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var file in new[] { "models/model_epoch_50.pth", "tests/fixtures/checkpoints/model_epoch_50_zip.pth",
                                     "tests/fixtures/checkpoints/vdsr_state_dict.pth", "tests/fixtures/checkpoints/vdsr_pretrained.safetensors" })
            foreach (var cut in new[] { "4", "12", "300", "half", "last" })
                cases.Add(file, cut);
        return cases;
    }

    [Theory]
    [MemberData(nameof(TruncationCases))]
    public void TruncatedFileIsRejected(string relativePath, string cut)
    {
        var bytes = File.ReadAllBytes(TestPaths.InRepo(relativePath.Split('/')));
        int length = cut switch { "half" => bytes.Length / 2, "last" => bytes.Length - 1, _ => int.Parse(cut) };
        string path = Write("truncated-" + Path.GetFileName(relativePath), bytes[..length]);

        var e = AssertRejected(path, () => CheckpointFile.Load(path), "");
        output.WriteLine(e.Message);
    }

    [Fact]
    public void TruncatedProjectFileIsRejected()
    {
        var state = CheckpointFile.Load(TestPaths.Fixture("checkpoints", "vdsr_pretrained.safetensors"));
        string full = _temp.File("full.safetensors");
        CheckpointFile.Save(full, state);
        var bytes = File.ReadAllBytes(full);
        string path = Write("cut.safetensors", bytes[..(bytes.Length - 100)]);

        AssertRejected(path, () => CheckpointFile.Load(path), "truncated");
    }

    [Theory]
    [InlineData("text", "not a checkpoint")]
    [InlineData("random", "not a checkpoint")]
    [InlineData("empty", "file is empty")]
    [InlineData("zip-without-pickle", "not a PyTorch checkpoint")]
    public void GarbageIsRejected(string kind, string expected)
    {
        byte[] bytes = kind switch
        {
            "text" => Encoding.ASCII.GetBytes("this is not a model\n"),
            "random" => RandomBytes(4096),
            "empty" => [],
            _ => ZipWith("model/readme.txt", Encoding.ASCII.GetBytes("hello")),
        };
        string path = Write(kind + ".pth", bytes);

        AssertRejected(path, () => CheckpointFile.Load(path), expected);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(5).NextBytes(bytes);
        bytes[8] = 0; // not a '{', so it cannot pass for a safetensors header
        return bytes;
    }

    private static byte[] ZipWith(string entryName, byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        using (var s = zip.CreateEntry(entryName).Open())
            s.Write(content);
        return buffer.ToArray();
    }

    [Fact]
    public void LegacyFileWithForbiddenGlobalIsRejected()
    {
        byte[] bytes = [.. PickleBytes.LegacyPreamble(), .. new PickleBytes().Global("os", "system").Text("echo pwned").Tuple1().Reduce().Stop()];
        string path = Write("evil-legacy.pth", bytes);

        var e = AssertRejected(path, () => CheckpointFile.Load(path), "");
        Assert.Equal($"{path}: forbidden pickle global 'os.system'", e.Message);
    }

    [Theory]
    [InlineData("builtins", "eval")]
    [InlineData("posix", "system")]
    [InlineData("torch", "load")]
    public void ZipFileWithForbiddenGlobalIsRejected(string module, string name)
    {
        var pickle = new PickleBytes().Global(module, name).Text("print(1)").Tuple1().Reduce().Stop();
        string path = Write("evil-zip.pth", ZipWith("evil/data.pkl", pickle));

        var e = AssertRejected(path, () => CheckpointFile.Load(path), "");
        Assert.Equal($"{path}: forbidden pickle global '{module}.{name}'", e.Message);
    }

    [Fact]
    public void ForbiddenGlobalIsFoundBeforeAnythingIsCalled()
    {
        // The first REDUCE calls an allowed global in a way that fails; had unpickling started,
        // that failure would be the error. The later forbidden global must be reported instead.
        var pickle = new PickleBytes().Global("torch", "FloatStorage").EmptyTuple().Reduce().Pop()
            .Global("os", "system").Text("echo pwned").Tuple1().Reduce().Stop();
        string path = Write("evil-late.pth", [.. PickleBytes.LegacyPreamble(), .. pickle]);

        AssertRejected(path, () => CheckpointFile.Load(path), "forbidden pickle global 'os.system'");
    }

    [Fact]
    public void NonFloat32SafetensorsIsRejected()
    {
        string header = """{"input.weight":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]}}""";
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        string path = Write("half.safetensors", bytes);

        AssertRejected(path, () => CheckpointFile.Load(path), "tensor 'input.weight' has dtype F16; only F32 is supported");
    }

    private string ExportModified(string name, Action<StateDict, StateDict> edit)
    {
        var original = CheckpointFile.Load(TestPaths.Fixture("checkpoints", "vdsr_pretrained.safetensors"));
        var modified = new StateDict();
        edit(original, modified);
        string path = _temp.File(name);
        CheckpointFile.Export(path, modified, CheckpointFormat.Safetensors);
        return path;
    }

    [Fact]
    public void WrongTensorShapeIsRejected()
    {
        string path = ExportModified("wrong-shape.safetensors", (from, to) =>
        {
            foreach (var (name, t) in from.Entries)
                to.Add(name, name == "residual_layer.3.conv.weight" ? new TensorData([64, 32, 3, 3], t.Data[..(64 * 32 * 9)]) : t);
        });

        AssertRejected(path, () => ModelStore.LoadNet(path), "tensor 'residual_layer.3.conv.weight' has shape [64, 32, 3, 3], expected [64, 64, 3, 3]");
    }

    [Fact]
    public void WrongKernelSizeIsRejected()
    {
        string path = ExportModified("wrong-kernel.safetensors", (from, to) =>
        {
            foreach (var (name, t) in from.Entries)
                to.Add(name, name == "output.weight" ? new TensorData([1, 64, 1, 9], t.Data) : t);
        });

        AssertRejected(path, () => ModelStore.LoadNet(path), "tensor 'output.weight' has shape [1, 64, 1, 9], expected [1, 64, 3, 3]");
    }

    [Theory]
    [InlineData("residual_layer.5.conv.weight")]
    [InlineData("output.weight")]
    [InlineData("input.weight")]
    public void MissingTensorIsRejected(string missing)
    {
        string path = ExportModified("missing.safetensors", (from, to) =>
        {
            foreach (var (name, t) in from.Entries)
                if (name != missing) to.Add(name, t);
        });

        AssertRejected(path, () => ModelStore.LoadNet(path), "missing tensor '");
    }

    [Fact]
    public void UnexpectedTensorIsRejected()
    {
        string path = ExportModified("extra.safetensors", (from, to) =>
        {
            foreach (var (name, t) in from.Entries) to.Add(name, t);
            to.Add("input.bias", new TensorData([64], new float[64]));
        });

        AssertRejected(path, () => ModelStore.LoadNet(path), "unexpected tensor 'input.bias'");
    }

    [Fact]
    public void ProjectFileWhoseWidthsContradictItsWeightsIsRejected()
    {
        var state = CheckpointFile.Load(TestPaths.Fixture("checkpoints", "vdsr_pretrained.safetensors"));
        state.Metadata[VdsrCheckpointMetadata.HiddenWidthsKey] = "1,2,3";
        string saved = _temp.File("saved.safetensors");
        CheckpointFile.Save(saved, state); // Save writes the true widths over a stale entry
        Assert.Equal(string.Join(",", Enumerable.Repeat(64, 19)), CheckpointFile.Load(saved).Metadata[VdsrCheckpointMetadata.HiddenWidthsKey]);

        var bytes = File.ReadAllBytes(saved);
        var text = Encoding.Latin1.GetString(bytes);
        int at = text.IndexOf("64,64,64", StringComparison.Ordinal);
        bytes[at] = (byte)'3'; // "34,64,..." keeps the header length
        string path = Write("contradicting.safetensors", bytes);

        AssertRejected(path, () => CheckpointFile.Load(path), "metadata declares hidden widths");
    }
}
