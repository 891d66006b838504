namespace Vdsr.Core.Inference;

/// <summary>
/// How the network is run over an image: in tiles that overlap by a halo of at least the receptive
/// radius (so the stitched result equals whole-image inference), sized to fit a memory budget.
/// </summary>
public sealed record TilingOptions
{
    /// <summary>Peak bytes the activations of one tile may take (default 512 MiB).</summary>
    public long MemoryBudgetBytes { get; init; } = 512L << 20;

    /// <summary>Side of a tile's core (without halo); null = the largest that fits the budget.</summary>
    public int? TileSize { get; init; }

    /// <summary>Halo per side; null = the network's receptive radius (20 for 20 layers).</summary>
    public int? Halo { get; init; }
}
