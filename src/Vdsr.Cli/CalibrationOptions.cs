using Vdsr.Core;
using Vdsr.Core.Onnx;

namespace Vdsr.Cli;

/// <summary>Where int8 calibration takes its inputs from: by default the bundled training patches (not the evaluation images).</summary>
public static class CalibrationOptions
{
    public const string DefaultSet = "data/train.h5";
    public const int DefaultSamples = 512;

    public static CalibrationSet Load(string path, int maxSamples) => maxSamples >= 1
        ? CalibrationSet.Load(BundledPaths.Resolve(path, "calibration set"), maxSamples)
        : throw new VdsrUserException($"--calibration-samples must be at least 1 (got {maxSamples})");

    public static int Threads(int threads) => DeviceOptions.CheckThreads(threads, "--threads");
}
