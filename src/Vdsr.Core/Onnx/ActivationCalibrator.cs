using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Vdsr.Core.Model;

namespace Vdsr.Core.Onnx;

/// <summary>
/// Runs the float model over a calibration set with every hidden activation (the Relu outputs)
/// exposed as a graph output, and records the largest value of each channel of each: the ranges
/// int8 quantization must cover.
/// </summary>
public static class ActivationCalibrator
{
    /// <summary>[hidden layer][channel]: the largest value over every calibration input.</summary>
    public static float[][] ChannelMaxima(ModelProto floatModel, VdsrArchitecture architecture, CalibrationSet calibration, int threads,
        Action<int, int>? progress = null)
    {
        var probe = floatModel.Clone();
        var names = Enumerable.Range(0, architecture.Depth - 1).Select(OnnxExporter.ReluOutput).ToArray();
        foreach (var name in names)
            probe.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });

        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        var maxima = architecture.HiddenWidths.Select(w => new float[w]).ToArray();
        int done = 0;
        foreach (var batch in calibration.Batches)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(batch.Inputs, [batch.Count, 1, batch.Height, batch.Width]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [OnnxGraph.InputName], [input], names);
            int plane = batch.Height * batch.Width;
            for (int layer = 0; layer < names.Length; layer++)
            {
                var values = outputs[layer].GetTensorDataAsSpan<float>();
                var channels = maxima[layer];
                for (int n = 0; n < batch.Count; n++)
                for (int c = 0; c < channels.Length; c++)
                {
                    float max = channels[c];
                    foreach (float v in values.Slice((n * channels.Length + c) * plane, plane)) if (v > max) max = v;
                    channels[c] = max;
                }
            }
            progress?.Invoke(++done, calibration.Batches.Count);
        }
        return maxima;
    }
}
