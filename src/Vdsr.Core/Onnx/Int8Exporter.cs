using System.Globalization;
using Onnx;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Onnx;

/// <summary>
/// Static int8 quantization of a VDSR network into a QDQ ONNX graph that ONNX Runtime runs with its
/// int8 kernels (QLinearConv; VNNI where the CPU has it). The hidden convs read int8 weights with a
/// scale per output channel (symmetric, zero point 0) and uint8 activations with one calibrated scale
/// per layer (zero point 0: the activations are Relu outputs, so the Relu folds into the quantization),
/// after the channels between convs are evened out by <see cref="CrossLayerEqualization"/>.
/// The first conv (one input channel), the output conv (one filter) and the residual Add stay float:
/// together they are under 4% of the work, and the residual needs the input's full precision.
/// </summary>
public static class Int8Exporter
{
    /// <summary>
    /// Weights use 7 bits (-63..63, "reduce range"): on CPUs without VNNI the uint8 x int8 kernels add
    /// pairs of products in 16 bits, which 255 x 127 x 2 overflows and 255 x 63 x 2 does not. On Set5
    /// it cost nothing measurable against 8 bits (x2/x3/x4: 37.6311/33.7590/31.4243 dB with 7 bits,
    /// 37.6276/33.7627/31.4243 with 8).
    /// </summary>
    private const int WeightLevels = 63;
    private const int ActivationLevels = 255;

    /// <summary>
    /// How far <see cref="CrossLayerEqualization"/> evens out the channel ranges: 0.5 splits the
    /// rescaling between activations and weights (DFQ's balance point). Set5 loss against float, x2/x3/x4 (dB):
    /// none 0.027/0.017/0.058; 0.5 0.025/0.011/0.041; 1 (every channel at the layer's range) 0.151/0.019/0.030.
    /// </summary>
    public const double EqualizationStrength = 0.5;

    public static ModelProto Export(StateDict state, string source, CalibrationSet calibration, OnnxExportOptions options, int threads,
        Action<int, int>? progress = null)
    {
        var floatModel = OnnxExporter.Export(state, source, options);
        var architecture = ModelStore.ArchitectureOf(state, source);
        var channelMaxima = ActivationCalibrator.ChannelMaxima(floatModel, architecture, calibration, threads, progress);
        var (weights, ranges) = CrossLayerEqualization.Apply(state, architecture, channelMaxima, EqualizationStrength);
        return Build(weights, architecture, ranges.Select(r => r.Max()).ToArray(), options,
            $"{calibration.Description}; cross-layer equalization {EqualizationStrength.ToString(CultureInfo.InvariantCulture)}; activation range = calibrated maximum");
    }

    /// <summary>The QDQ graph for activations quantized over [0, range] (<paramref name="activationRanges"/>: one per hidden layer).</summary>
    public static ModelProto Build(StateDict state, VdsrArchitecture architecture, IReadOnlyList<float> activationRanges, OnnxExportOptions options, string calibrationText)
    {
        var graph = OnnxExporter.NewGraph(architecture);
        graph.Initializer.Add(OnnxGraph.UInt8Scalar("activation_zero_point", 0));
        string x = OnnxGraph.InputName;
        for (int layer = 0; layer < architecture.Depth; layer++)
        {
            string name = architecture.LayerName(layer);
            var weight = state[name].Data;
            bool quantized = layer > 0 && layer < architecture.Depth - 1;
            if (layer > 0) x = QuantizeActivation(graph, layer - 1, x, activationRanges[layer - 1]);
            if (quantized) AddInt8Weight(graph, name, architecture.WeightShape(layer), weight);
            else graph.Initializer.Add(OnnxGraph.FloatTensor(name, architecture.WeightShape(layer), weight));
            x = OnnxExporter.AddConvLayer(graph, architecture, layer, x, name);
        }
        graph.Node.Add(OnnxGraph.Node("Add", "residual", [OnnxGraph.InputName, x], OnnxGraph.OutputName));

        var metadata = OnnxMetadata.For(architecture, "int8", options.SourceModel);
        metadata[OnnxMetadata.CalibrationKey] = $"{calibrationText}; activation ranges "
            + string.Join(",", activationRanges.Select(m => m.ToString("G6", CultureInfo.InvariantCulture)));
        return OnnxExporter.NewModel(graph, options, metadata);
    }

    /// <summary>QuantizeLinear then DequantizeLinear of a Relu output; returns the dequantized value's name.</summary>
    private static string QuantizeActivation(GraphProto graph, int layer, string x, float max)
    {
        string scale = $"relu{layer}_scale";
        graph.Initializer.Add(OnnxGraph.FloatScalar(scale, max > 0 ? max / ActivationLevels : 1f));
        string quantized = $"relu{layer}_quantized", dequantized = $"relu{layer}_dequantized";
        graph.Node.Add(OnnxGraph.Node("QuantizeLinear", $"relu{layer}_quantize", [x, scale, "activation_zero_point"], quantized));
        graph.Node.Add(OnnxGraph.Node("DequantizeLinear", $"relu{layer}_dequantize", [quantized, scale, "activation_zero_point"], dequantized));
        return dequantized;
    }

    /// <summary>The int8 weight, its per-filter scales and zero points, and the DequantizeLinear that gives the conv its float weight <paramref name="name"/>.</summary>
    private static void AddInt8Weight(GraphProto graph, string name, long[] shape, float[] weight)
    {
        int filters = (int)shape[0];
        var (values, scales) = QuantizePerFilter(weight, filters, WeightLevels);
        graph.Initializer.Add(OnnxGraph.Int8Tensor($"{name}_quantized", shape, values));
        graph.Initializer.Add(OnnxGraph.FloatTensor($"{name}_scale", [filters], scales));
        graph.Initializer.Add(OnnxGraph.Int8Tensor($"{name}_zero_point", [filters], new sbyte[filters]));
        var dequantize = OnnxGraph.Node("DequantizeLinear", $"{name}_dequantize", [$"{name}_quantized", $"{name}_scale", $"{name}_zero_point"], name);
        dequantize.Attribute.Add(OnnxGraph.Int("axis", 0));
        graph.Node.Add(dequantize);
    }

    /// <summary>Symmetric per-filter quantization: each filter's largest magnitude maps to <paramref name="levels"/> (zero point 0).</summary>
    internal static (sbyte[] Values, float[] Scales) QuantizePerFilter(float[] weight, int filters, int levels)
    {
        int perFilter = weight.Length / filters;
        var scales = new float[filters];
        var values = new sbyte[weight.Length];
        for (int f = 0; f < filters; f++)
        {
            var filter = weight.AsSpan(f * perFilter, perFilter);
            float max = 0;
            foreach (float w in filter) max = Math.Max(max, Math.Abs(w));
            scales[f] = max > 0 ? max / levels : 1f;
            for (int i = 0; i < perFilter; i++)
                values[f * perFilter + i] = (sbyte)Math.Clamp(MathF.Round(filter[i] / scales[f], MidpointRounding.ToEven), -levels, levels);
        }
        return (values, scales);
    }
}
