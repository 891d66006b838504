using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Vdsr.Core.Checkpoints;

namespace Vdsr.Core.Tests.Checkpoints;

/// <summary>
/// tests/fixtures/checkpoints/weights_sha256.txt, written by PyTorch from the published model:
/// per tensor the sha256 of its raw little-endian float32 bytes (C order), the sum of its values
/// accumulated in float64 and the largest |value|, both printed with 9 significant digits.
/// </summary>
internal static partial class ReferenceWeights
{
    public sealed record Entry(string Name, long[] Shape, string Sha256, string Sum, string AbsMax);

    public static IReadOnlyList<Entry> Load()
    {
        var lines = File.ReadAllLines(TestPaths.Fixture("checkpoints", "weights_sha256.txt")).Where(l => l.Trim().Length > 0);
        return lines.Select(line =>
        {
            var m = LinePattern().Match(line);
            Assert.True(m.Success, $"unexpected line in weights_sha256.txt: {line}");
            var shape = m.Groups["shape"].Value.Split(',', StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
            return new Entry(m.Groups["name"].Value, shape, m.Groups["sha"].Value, m.Groups["sum"].Value, m.Groups["absmax"].Value);
        }).ToList();
    }

    public static string Sha256Hex(float[] values) =>
        Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values.AsSpan())));

    public static string Sum(float[] values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum.ToString("G9", CultureInfo.InvariantCulture);
    }

    public static float AbsMax(float[] values) => values.Max(MathF.Abs);

    [GeneratedRegex(@"^(?<name>\S+) \[(?<shape>[^\]]*)\] sha256=(?<sha>[0-9a-f]{64}) sum=(?<sum>\S+) absmax=(?<absmax>\S+)$")]
    private static partial Regex LinePattern();
}
