namespace Vdsr.Core.Data;

/// <summary>How training patches are cut from an image (defaults: data/generate_train.m).</summary>
public sealed record PatchGenerationOptions
{
    /// <summary>The original's settings: 41x41 patches, stride 41, scales 2/3/4, downsizes 1/0.7/0.5, flips and rotations.</summary>
    public static PatchGenerationOptions Original { get; } = new();

    public int PatchSize { get; init; } = 41;
    public int Stride { get; init; } = 41;
    public IReadOnlyList<int> Scales { get; init; } = [2, 3, 4];
    public IReadOnlyList<double> Downsizes { get; init; } = [1.0, 0.7, 0.5];

    /// <summary>The 3 flips x 4 rotations of the original; off: the image as it is, once.</summary>
    public bool Augment { get; init; } = true;

    internal void Validate()
    {
        if (PatchSize < 1) throw new ArgumentOutOfRangeException(nameof(PatchSize), "patch size must be positive");
        if (Stride < 1) throw new ArgumentOutOfRangeException(nameof(Stride), "stride must be positive");
        if (Scales.Count == 0 || Scales.Any(s => s < 1)) throw new ArgumentException("scales must be integers >= 1", nameof(Scales));
        if (Downsizes.Count == 0 || Downsizes.Any(d => !(d > 0 && d <= 1))) throw new ArgumentException("downsizes must lie in (0, 1]", nameof(Downsizes));
    }
}
