using Onnx;
using Vdsr.Core.Checkpoints;
using Vdsr.Core.Model;

namespace Vdsr.Core.Onnx;

/// <summary>
/// Writes a VDSR network (any widths) as an ONNX graph: Conv 3x3 + Relu for every hidden layer, the
/// output conv, and the residual Add of the input. Initializers keep the PyTorch parameter names.
/// </summary>
public static class OnnxExporter
{
    public const string ProducerName = "vdsr-convert";

    /// <summary>The float32 model of the weights in <paramref name="state"/>; <paramref name="source"/> names the file in errors.</summary>
    public static ModelProto Export(StateDict state, string source, OnnxExportOptions options)
    {
        options.Check();
        var architecture = ModelStore.ArchitectureOf(state, source);
        var graph = NewGraph(architecture);
        string x = OnnxGraph.InputName;
        for (int layer = 0; layer < architecture.Depth; layer++)
        {
            string weight = architecture.LayerName(layer);
            graph.Initializer.Add(OnnxGraph.FloatTensor(weight, architecture.WeightShape(layer), state[weight].Data));
            x = AddConvLayer(graph, architecture, layer, x, weight);
        }
        graph.Node.Add(OnnxGraph.Node("Add", "residual", [OnnxGraph.InputName, x], OnnxGraph.OutputName));
        return NewModel(graph, options, OnnxMetadata.For(architecture, "fp32", options.SourceModel));
    }

    /// <summary>Conv (and Relu but after the last layer) on <paramref name="x"/>; returns the layer's output name.</summary>
    internal static string AddConvLayer(GraphProto graph, VdsrArchitecture architecture, int layer, string x, string weight)
    {
        bool last = layer == architecture.Depth - 1;
        string conv = last ? "residual_out" : $"conv{layer}_out";
        graph.Node.Add(OnnxGraph.Conv3x3($"conv{layer}", x, weight, conv));
        if (last) return conv;
        string relu = ReluOutput(layer);
        graph.Node.Add(OnnxGraph.Node("Relu", $"relu{layer}", [conv], relu));
        return relu;
    }

    /// <summary>The name of hidden layer <paramref name="layer"/>'s activation (what int8 calibration measures).</summary>
    internal static string ReluOutput(int layer) => $"relu{layer}_out";

    internal static GraphProto NewGraph(VdsrArchitecture architecture)
    {
        var graph = new GraphProto { Name = "vdsr", DocString = $"VDSR, {architecture}" };
        graph.Input.Add(OnnxGraph.ImageValue(OnnxGraph.InputName));
        graph.Output.Add(OnnxGraph.ImageValue(OnnxGraph.OutputName));
        return graph;
    }

    internal static ModelProto NewModel(GraphProto graph, OnnxExportOptions options, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = options.IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "",
            Domain = "vdsr",
            ModelVersion = 1,
            DocString = OnnxMetadata.Convention,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        foreach (var (key, value) in metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }
}
