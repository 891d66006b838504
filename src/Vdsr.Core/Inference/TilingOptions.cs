namespace Vdsr.Core.Inference;

/// <summary>
/// How the network is run over an image: in tiles that overlap by a halo of at least the receptive
/// radius (so the stitched result equals whole-image inference), sized to fit a memory budget.
/// </summary>
public sealed record TilingOptions
{
    /// <summary>
    /// Peak bytes the activations of one tile may take (default 256 MiB). Measured on the 1920x1080
    /// x2 upscale (vdsr-demo, AVX-512 BF16 machine): bf16 17.2 s and 1.01 GB peak RSS against 16.5 s
    /// and 1.28 GB with 512 MiB; fp32 with Winograd 18.5 s / 1.34 GB against 16.7 s / 1.64 GB. The
    /// smaller tiles cost 4-10% in halo recomputation and keep the whole run near a gigabyte.
    /// </summary>
    public long MemoryBudgetBytes { get; init; } = 256L << 20;

    /// <summary>Side of a tile's core (without halo); null = the largest that fits the budget.</summary>
    public int? TileSize { get; init; }

    /// <summary>Halo per side; null = the network's receptive radius (20 for 20 layers).</summary>
    public int? Halo { get; init; }
}
