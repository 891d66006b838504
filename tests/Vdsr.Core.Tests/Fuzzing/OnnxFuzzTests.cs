using Google.Protobuf;
using Vdsr.Core.Onnx;
using Vdsr.Core.Tests.BadInput;
using Xunit.Abstractions;

namespace Vdsr.Core.Tests.Fuzzing;

/// <summary>
/// Mutants of a tiny VDSR ONNX model (widths [4, 4, 4], fp32 and int8) through
/// <see cref="OnnxModelFile.Read"/> and, where the check passes, an ONNX Runtime session that runs
/// one 8x8 tile: ONNX Runtime's errors must follow the reader contract too. Its native memory is
/// bounded by the resident-peak limit; runs alone so that the resident peak is this read's own.
/// </summary>
[Collection(MemoryMeasuringCollection.Name)]
[Trait("Category", "Slow")] // fuzzing, killed processes, convergence: skip locally with --filter "Category!=Slow"
public sealed class OnnxFuzzTests(ITestOutputHelper output)
{
    private static readonly FuzzLimits Limits = new() { MaxResidentGrowth = 128L << 20 };

    [Theory]
    [InlineData("fp32")]
    [InlineData("int8")]
    public void MutatedOnnxModelsReadAndRunOrAreRefused(string precision)
    {
        var seed = precision == "int8" ? BadOnnxTests.TinyInt8Model() : BadOnnxTests.TinyModel();
        Assert.Equal(precision, OnnxVdsrModel.FromProto(seed, "seed").Precision);
        var input = Enumerable.Range(0, 64).Select(i => (float)(i % 9) / 9).ToArray();
        new FuzzRunner(output, Limits).Run($"onnx-{precision}", seed.ToByteArray(), ".onnx", path =>
        {
            var model = OnnxModelFile.Read(path);
            using var network = new OnnxRuntimeNetwork(model, threads: 1);
            network.Forward(input, 8, 8, new float[64]);
        });
    }
}
