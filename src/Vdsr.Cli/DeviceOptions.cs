using System.CommandLine;
using TorchSharp;
using Vdsr.Core.Runtime;

namespace Vdsr.Cli;

/// <summary>`--cuda`, `--gpus` and `--compute-threads`, identical in every tool.</summary>
public sealed class DeviceOptions
{
    public Option<bool> Cuda { get; } = new("--cuda") { Description = "Use cuda?" };
    public Option<string> Gpus { get; } = new("--gpus") { Description = "gpu ids (default: 0)", DefaultValueFactory = _ => "0" };
    public Option<int> ComputeThreads { get; }

    private readonly TorchWorkload _workload;

    /// <param name="threadsIsComputeAlias">
    /// Tools without data-loading workers also accept `--threads` for the compute threads;
    /// vdsr-train keeps the original's meaning of `--threads` (data workers).
    /// </param>
    /// <param name="workload">What the tool runs: inference tools tune libtorch's threads for it.</param>
    public DeviceOptions(bool threadsIsComputeAlias, TorchWorkload workload)
    {
        _workload = workload;
        ComputeThreads = threadsIsComputeAlias ? new("--compute-threads", "--threads") : new("--compute-threads");
        ComputeThreads.Description =
            $"compute threads of libtorch or ONNX Runtime (default: {TorchRuntime.DefaultComputeThreads}, one per logical CPU)";
        ComputeThreads.DefaultValueFactory = _ => TorchRuntime.DefaultComputeThreads;
    }

    public void AddTo(Command command)
    {
        command.Add(Cuda);
        command.Add(Gpus);
        command.Add(ComputeThreads);
    }

    /// <summary>The compute threads asked for, checked.</summary>
    public int Threads(ParseResult result) => CheckThreads(result.GetValue(ComputeThreads), "--compute-threads");

    /// <summary>A thread count of at least 1, or one line naming <paramref name="flag"/>.</summary>
    public static int CheckThreads(int threads, string flag) =>
        threads >= 1 ? threads : throw new Core.VdsrUserException($"{flag} must be at least 1 (got {threads})");

    /// <summary>Loads libtorch, sets the thread count and returns the chosen device.</summary>
    public torch.Device Resolve(ParseResult result)
    {
        TorchRuntime.SetComputeThreads(Threads(result), _workload);
        return ComputeDevice.Select(result.GetValue(Cuda), result.GetValue(Gpus) ?? "0");
    }
}
