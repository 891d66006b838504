using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using TorchSharp;
using Vdsr.Core.Runtime;

namespace Vdsr.Cli;

/// <summary>
/// What `--version` prints: the toolkit's version, the libtorch it was built against and the device
/// the tools compute on. Nothing is loaded for it on a CPU build; a CUDA build asks libtorch for GPUs.
/// </summary>
public static class ToolVersion
{
    public static string Toolkit =>
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Describe(string toolName)
    {
        var torchSharp = typeof(torch).Assembly.GetName().Version;
        return string.Join(Environment.NewLine,
            $"{toolName} {Toolkit} (VDSR toolkit)",
            $"libtorch {torch.__version__} (TorchSharp {torchSharp?.ToString(3)}), {(ComputeDevice.IsCudaBuild ? "CUDA" : "CPU-only")} build",
            $"device: {DeviceLine()}");
    }

    private static string DeviceLine()
    {
        var cpu = $"cpu, {CpuFeatures.ModelName}, {Environment.ProcessorCount} logical CPUs, bf16 {(CpuFeatures.HasNativeBf16 ? "native" : "emulated")}";
        if (!ComputeDevice.IsCudaBuild) return cpu;
        try
        {
            TorchRuntime.EnsureInitialized();
        }
        catch (Core.VdsrUserException e)
        {
            return $"{cpu} (libtorch does not load: {e.Message})"; // --version still answers
        }
        return torch.cuda.is_available() ? $"cuda, {torch.cuda.device_count()} GPU(s) (--cuda --gpus N); {cpu}" : $"{cpu} (no GPU found)";
    }

    /// <summary>Makes the root command's built-in `--version` print <see cref="Describe"/>.</summary>
    public static void Install(RootCommand root)
    {
        foreach (var option in root.Options.OfType<VersionOption>())
            option.Action = new PrintAction(root.Name);
    }

    private sealed class PrintAction(string toolName) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Describe(toolName));
            return 0;
        }
    }
}
