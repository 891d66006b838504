using Microsoft.ML.OnnxRuntime;
using Onnx;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Imaging;
using Vdsr.Core.Model;
using Vdsr.Core.Onnx;
using Xunit.Abstractions;

namespace Vdsr.Core.Tests.Onnx;

/// <summary>
/// The int8 export: cross-layer equalization leaves the function unchanged, the QDQ graph has the
/// intended shape, ONNX Runtime fuses it into its int8 convs, and its output on the butterfly stays
/// close to the float model's.
/// </summary>
public sealed class Int8ExportTests(ITestOutputHelper output)
{
    private static StateDict Original() => CheckpointFile.Load(TestPaths.InRepo("models", "model_epoch_50.pth"));

    private static TensorData ButterflyInput() => Npy.Read(TestPaths.Fixture("golden", "butterfly_x4_input_f32.npy"));

    private static float[] Run(OnnxVdsrModel model, float[] input, int height, int width)
    {
        using var network = new OnnxRuntimeNetwork(model, threads: 2);
        var result = new float[input.Length];
        network.Forward(input, height, width, result);
        return result;
    }

    private static OnnxVdsrModel Float(StateDict state) =>
        OnnxVdsrModel.FromProto(OnnxExporter.Export(state, "weights", new OnnxExportOptions()), "weights");

    private static readonly Lazy<ModelProto> Int8Model = new(() =>
        Int8Exporter.Export(Original(), "model_epoch_50.pth", CalibrationSet.Load(TestPaths.InRepo("data", "train.h5"), 128), new OnnxExportOptions(), threads: 2));

    [Fact]
    public void EqualizationKeepsTheFunction()
    {
        var state = Original();
        var architecture = ModelStore.ArchitectureOf(state, "original");
        var random = new Random(5);
        var ranges = architecture.HiddenWidths.Select(w => Enumerable.Range(0, w).Select(_ => (float)(0.01 + 10 * random.NextDouble())).ToArray()).ToArray();
        var (equalized, newRanges) = CrossLayerEqualization.Apply(state, architecture, ranges, strength: 1);

        Assert.All(newRanges, layer => Assert.All(layer, r => Assert.Equal(layer.Max(), r, 4)));
        Assert.NotEqual(state[architecture.LayerName(1)].Data, equalized[architecture.LayerName(1)].Data);
        var input = ButterflyInput().Data;
        var before = Run(Float(state), input, 252, 252);
        var after = Run(Float(equalized), input, 252, 252);
        double difference = before.Zip(after, (a, b) => Math.Abs((double)a - b)).Max();
        output.WriteLine($"equalized vs original: max |diff| = {difference:E3}");
        Assert.True(difference <= 1e-5, $"equalization changed the output by {difference:E3}");
    }

    [Fact]
    public void HiddenConvsReadSevenBitWeightsAndUint8Activations()
    {
        var model = OnnxVdsrModel.FromProto(Int8Model.Value, "int8");
        Assert.Equal("int8", model.Precision);
        Assert.Equal(VdsrArchitecture.Original, model.Architecture);
        Assert.Contains("128 training patches", model.Metadata[OnnxMetadata.CalibrationKey]);

        var graph = Int8Model.Value.Graph;
        var int8Weights = graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Int8 && t.Dims.Count == 4).ToList();
        Assert.Equal(18, int8Weights.Count);
        Assert.All(int8Weights, w => Assert.All(w.RawData.ToByteArray(), b => Assert.InRange((sbyte)b, -63, 63)));
        Assert.Equal(19, graph.Node.Count(n => n.OpType == "QuantizeLinear"));
        Assert.Equal(19 + 18, graph.Node.Count(n => n.OpType == "DequantizeLinear"));
        Assert.Equal(2, graph.Initializer.Count(t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 4));
    }

    [Fact]
    public void OnnxRuntimeRunsTheHiddenConvsInInt8()
    {
        using var temp = new TempFolder();
        string optimized = temp.File("optimized.onnx");
        using (var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = optimized,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, // not the warning that a saved optimized model is machine-specific
        })
        using (new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(Int8Model.Value), options)) { }
        var ops = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized)).Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("optimized graph: " + string.Join(", ", ops.OrderBy(o => o.Key).Select(o => $"{o.Key} x{o.Value}")));
        Assert.Equal(18, ops.GetValueOrDefault("QLinearConv"));
    }

    [Fact]
    public void Int8OutputStaysCloseToFloatOnTheButterfly()
    {
        var input = ButterflyInput().Data;
        var floatOutput = Run(Float(Original()), input, 252, 252);
        var int8Output = Run(OnnxVdsrModel.FromProto(Int8Model.Value, "int8"), input, 252, 252);
        var groundTruth = Npy.ReadDouble(TestPaths.Fixture("golden", "butterfly_x4_im_gt_y_f64.npy")).ToImageDouble();
        double floatPsnr = Psnr(floatOutput, groundTruth), int8Psnr = Psnr(int8Output, groundTruth);
        output.WriteLine($"butterfly x4 PSNR: float {floatPsnr:F4} dB, int8 {int8Psnr:F4} dB, loss {floatPsnr - int8Psnr:F4} dB");
        Assert.True(floatPsnr - int8Psnr <= 0.05, $"int8 loses {floatPsnr - int8Psnr:F4} dB on the butterfly");
    }

    /// <summary>PSNR on Y against the ground truth as eval.py computes it (output x255 clipped, 4-pixel border shaved).</summary>
    private static double Psnr(float[] output, ImageBuffer<double> groundTruth)
    {
        var predicted = new ImageBuffer<double>(groundTruth.Height, groundTruth.Width, 1);
        for (int i = 0; i < output.Length; i++) predicted.Data[i] = Math.Clamp(output[i] * 255.0, 0, 255);
        return QualityMetrics.Psnr(predicted, groundTruth, 4);
    }

    [Fact]
    public void CalibrationReadsAFolderOfImages()
    {
        var set = CalibrationSet.Load(TestPaths.InRepo("Set5"), 4);
        Assert.Equal(4, set.Batches.Count);
        Assert.All(set.Batches, b => Assert.Equal(b.Height * b.Width, b.Inputs.Length));
        Assert.Contains("4 bicubic inputs", set.Description);
    }
}
