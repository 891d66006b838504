using Vdsr.Core.Checkpoints;

namespace Vdsr.Core.Model;

/// <summary>
/// The shape of a VDSR network as data: the output width of every conv layer but the last
/// (which always has one output channel). The original has 19 hidden layers of width 64;
/// an L1-pruned network is the same architecture with smaller widths.
/// </summary>
public sealed record VdsrArchitecture
{
    public const int KernelSize = 3;
    public const int OriginalDepth = 20;
    public const int OriginalWidth = 64;

    /// <summary>Output channels of layers 0..Depth-2 (the `input` conv and each residual conv).</summary>
    public IReadOnlyList<int> HiddenWidths { get; }

    public VdsrArchitecture(IReadOnlyList<int> hiddenWidths)
    {
        if (hiddenWidths.Count < 1)
            throw new ArgumentException("a VDSR network needs at least one hidden layer", nameof(hiddenWidths));
        if (hiddenWidths.Any(w => w < 1))
            throw new ArgumentException("every layer needs at least one filter", nameof(hiddenWidths));
        HiddenWidths = hiddenWidths.ToArray();
    }

    public static VdsrArchitecture Original { get; } = Uniform(OriginalDepth, OriginalWidth);

    public static VdsrArchitecture Uniform(int depth, int width) =>
        new(Enumerable.Repeat(width, depth - 1).ToArray());

    /// <summary>Number of conv layers, the output conv included.</summary>
    public int Depth => HiddenWidths.Count + 1;

    /// <summary>Pixels of context each output pixel sees on each side (one per 3x3 layer).</summary>
    public int ReceptiveRadius => Depth * (KernelSize / 2);

    /// <summary>PyTorch state_dict names, in layer order.</summary>
    public IReadOnlyList<string> ParameterNames =>
        Enumerable.Range(0, Depth).Select(l => LayerName(l)).ToArray();

    public string LayerName(int layer) => VdsrParameterNames.Of(layer, Depth);

    public int InChannels(int layer) => layer == 0 ? 1 : HiddenWidths[layer - 1];

    public int OutChannels(int layer) => layer == Depth - 1 ? 1 : HiddenWidths[layer];

    /// <summary>Weight shape [out, in, 3, 3] of a layer.</summary>
    public long[] WeightShape(int layer) => [OutChannels(layer), InChannels(layer), KernelSize, KernelSize];

    public long ParameterCount =>
        Enumerable.Range(0, Depth).Sum(l => (long)OutChannels(l) * InChannels(l) * KernelSize * KernelSize);

    /// <summary>Multiply-adds x2 per output pixel.</summary>
    public long FlopsPerPixel => 2 * ParameterCount;

    /// <summary>Recovers the architecture from the weight shapes of a state dict.</summary>
    public static VdsrArchitecture FromWeightShapes(IReadOnlyDictionary<string, long[]> shapes) =>
        new(VdsrParameterNames.HiddenWidths(shapes));

    public bool IsOriginal => Equals(Original);

    public bool Equals(VdsrArchitecture? other) => other is not null && HiddenWidths.SequenceEqual(other.HiddenWidths);

    public override int GetHashCode() => HiddenWidths.Aggregate(17, (h, w) => h * 31 + w);

    public override string ToString() =>
        HiddenWidths.Distinct().Count() == 1
            ? $"{Depth} layers x {HiddenWidths[0]} filters"
            : $"{Depth} layers, widths [{string.Join(",", HiddenWidths)}]";
}
