using System.IO.Compression;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Tools.Tests;

/// <summary>A broken --model is reported as one line naming the file, with a non-zero exit.</summary>
public class BadModelFileTests
{
    private static string Pretrained => Path.Combine(Tool.RepoRoot, "models", "model_epoch_50.pth");

    public static TheoryData<string, string> Cases => new()
    {
        { "truncated", "truncated" },
        { "wrong-magic", "not a" },
        { "forbidden-global", "forbidden pickle global 'os.system'" },
        { "wrong-shape", "residual_layer.3.conv.weight" },
        { "missing-key", "output.weight" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EvalReportsABrokenModelInOneLine(string kind, string expected)
    {
        using var temp = new TempFolder();
        string path = temp.File(kind + ".pth");
        Make(kind, path);
        var result = Tool.Run("eval", ["--model", path, "--scale", "4", "--dataset", "Set5"]);
        Tool.AssertOneLineError(result, path, expected);
    }

    private static void Make(string kind, string path)
    {
        switch (kind)
        {
            case "truncated":
                File.WriteAllBytes(path, File.ReadAllBytes(Pretrained)[..100_000]);
                break;
            case "wrong-magic":
                var junk = new byte[4096];
                new Random(1).NextBytes(junk);
                File.WriteAllBytes(path, junk);
                break;
            case "forbidden-global":
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
                using (var entry = zip.CreateEntry("archive/data.pkl").Open())
                {
                    // protocol 2: GLOBAL 'os system', the argument tuple ('echo pwned',), REDUCE, STOP
                    entry.Write([0x80, 0x02, .. "cos\nsystem\n"u8, (byte)'X', 10, 0, 0, 0, .. "echo pwned"u8, 0x85, (byte)'R', (byte)'.']);
                }
                break;
            case "wrong-shape":
            case "missing-key":
                var original = CheckpointFile.Load(Pretrained);
                var state = new StateDict();
                foreach (var (name, tensor) in original.Entries)
                {
                    if (kind == "missing-key" && name == "output.weight") continue;
                    var t = kind == "wrong-shape" && name == "residual_layer.3.conv.weight"
                        ? new TensorData([64, 64, 1, 9], tensor.Data)
                        : tensor;
                    state.Add(name, t);
                }
                CheckpointFile.Export(path, state, CheckpointFormat.Safetensors);
                break;
        }
    }

    [Fact]
    public void PrunedWidthCheckpointLoadsThroughTheTools()
    {
        using var temp = new TempFolder();
        using var net = new VdsrNet(VdsrArchitecture.Uniform(20, 32));
        string path = temp.File("pruned.safetensors");
        CheckpointFile.Save(path, ModelStore.ToStateDict(net, epoch: 3));
        var converted = temp.File("pruned-copy.safetensors");
        var result = Tool.Run("convert", [path, converted, "--format", "safetensors"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("epoch 3", result.Stdout);
        Assert.Equal(new VdsrArchitecture(Enumerable.Repeat(32, 19).ToArray()), ModelStore.ArchitectureOf(CheckpointFile.Load(converted), converted));
    }
}
