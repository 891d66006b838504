namespace Vdsr.Core.Runtime;

/// <summary>
/// What the CPU can do, read from /proc/cpuinfo (Linux; elsewhere nothing is known and the
/// answers are the safe ones).
/// </summary>
public static class CpuFeatures
{
    private static readonly Lazy<(string Model, IReadOnlySet<string> Flags)> Info = new(ReadCpuInfo);

    /// <summary>The CPU's model name, or "unknown CPU".</summary>
    public static string ModelName => Info.Value.Model;

    public static IReadOnlySet<string> Flags => Info.Value.Flags;

    /// <summary>
    /// True when bfloat16 dot products run in hardware (AVX-512 BF16 or AMX). Without them libtorch
    /// emulates bf16 with fp32 instructions plus conversions, which is slower than fp32.
    /// </summary>
    public static bool HasNativeBf16 => HasNativeBf16In(Flags);

    public static bool HasNativeBf16In(IReadOnlySet<string> flags) =>
        flags.Contains("avx512_bf16") || flags.Contains("amx_bf16");

    /// <summary>The model name and flags of the first processor in a /proc/cpuinfo text.</summary>
    public static (string Model, IReadOnlySet<string> Flags) Parse(string cpuinfo)
    {
        string model = "unknown CPU";
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in cpuinfo.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "model name" && model == "unknown CPU") model = value;
            else if (key == "flags" && flags.Count == 0)
                flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return (model, flags);
    }

    private static (string, IReadOnlySet<string>) ReadCpuInfo()
    {
        try
        {
            return Parse(File.ReadAllText("/proc/cpuinfo"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ("unknown CPU", new HashSet<string>());
        }
    }
}
