using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace Vdsr.Core.Model;

/// <summary>
/// relu(conv3x3(x, w)) for inference as one oneDNN primitive with a ReLU post-op, so the output is
/// written once instead of written by the conv and then read and written again by the ReLU. The
/// pass saved is worth more to a narrow layer: the conv's cost grows with the square of the width,
/// the ReLU's only with the width. Bit for bit what conv2d then relu_ give (same oneDNN conv; a
/// ReLU commutes with rounding to bfloat16). Inference uses it for bfloat16 convs only: for float32,
/// libtorch's conv2d picks its kernel by shape and some differ from oneDNN's in the last bits, which
/// the float32 plan, the one checked against the reference, must not.
/// <para>
/// libtorch has the fused op (<c>mkldnn::_convolution_pointwise</c>, what torch.compile emits on
/// CPU), but TorchSharp reaches ops outside <c>aten</c> only through TorchScript, and only a loaded
/// module's code may name them. So a one-method TorchScript module is written here, loaded once
/// from a temporary file, and called per layer.
/// </para>
/// </summary>
public static class FusedConvRelu
{
    private const string ClassName = "FusedConvRelu";

    // Padding, stride, dilation 1, groups 1, no bias; the ReLU post-op takes no scalars.
    private const string Code = $$"""
        class {{ClassName}}(Module):
          __parameters__ = []
          __buffers__ = []
          training : bool
          def forward(self: __torch__.{{ClassName}},
            x: Tensor,
            w: Tensor) -> Tensor:
            _0 = ops.mkldnn._convolution_pointwise(x, w, None, [1, 1], [1, 1], [1, 1], 1, "relu", annotate(List[Optional[number]], []), None)
            return _0

        """;

    private static readonly Lazy<jit.ScriptModule?> Module = new(Load);

    /// <summary>Whether the fused op is used: it could be loaded, and benchmarks have not switched it off.</summary>
    public static bool IsAvailable => Enabled && Module.Value is not null;

    /// <summary>Off only in benchmarks that time the conv and the ReLU apart in the same run.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// relu(conv2d(x, w, padding 1)) for CPU x [N, C, H, W] and w [O, C, 3, 3] of one dtype (float32
    /// or bfloat16; no gradient flows through it); channels-last inputs give a channels-last output.
    /// </summary>
    public static Tensor Forward(Tensor x, Tensor w)
    {
        var module = Module.Value ?? throw new InvalidOperationException("the fused conv+ReLU op is not available in this libtorch");
        return (Tensor)module.invoke("forward", x, w);
    }

    private static jit.ScriptModule? Load()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vdsr-{ClassName}-{Guid.NewGuid():N}.pt");
        try
        {
            File.WriteAllBytes(path, Archive());
            return jit.load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Runtime.InteropServices.ExternalException)
        {
            return null;
        }
        finally
        {
            try { File.Delete(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// The TorchScript archive: the module object (a pickle of the class with its one attribute,
    /// training), the class's code, no constants, format version 3.
    /// </summary>
    private static byte[] Archive()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] data)
            {
                using var entry = zip.CreateEntry("archive/" + name, CompressionLevel.NoCompression).Open();
                entry.Write(data);
            }
            Add("data.pkl", ModulePickle());
            Add("code/__torch__.py", Encoding.UTF8.GetBytes(Code));
            Add("constants.pkl", [0x80, 0x02, (byte)')', (byte)'.']); // protocol 2, empty tuple, stop
            Add("version", "3\n"u8.ToArray());
        }
        return buffer.ToArray();
    }

    /// <summary>Pickle protocol 2: GLOBAL __torch__.FusedConvRelu, NEWOBJ(), BUILD({"training": True}).</summary>
    private static byte[] ModulePickle()
    {
        var pickle = new List<byte> { 0x80, 0x02, (byte)'c' };
        pickle.AddRange(Encoding.ASCII.GetBytes($"__torch__\n{ClassName}\n"));
        pickle.AddRange([(byte)')', 0x81, (byte)'}', (byte)'(']);
        byte[] key = Encoding.ASCII.GetBytes("training");
        pickle.AddRange([(byte)'X', (byte)key.Length, 0, 0, 0]);
        pickle.AddRange(key);
        pickle.AddRange([0x88, (byte)'u', (byte)'b', (byte)'.']); // True, SETITEMS, BUILD, STOP
        return [.. pickle];
    }
}
