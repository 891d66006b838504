using System.CommandLine;
using Vdsr.Core.Inference;

namespace Vdsr.Cli;

/// <summary>`--tile-memory-mb`: the memory budget of one inference tile, for every tool that runs the network on images.</summary>
public static class TileMemoryOption
{
    private static readonly long DefaultMiB = new TilingOptions().MemoryBudgetBytes >> 20;

    public static Option<int> Create() => new("--tile-memory-mb")
    {
        Description = $"memory budget of one inference tile in MiB (default: {DefaultMiB}); larger images run in overlapping tiles with identical results",
        DefaultValueFactory = _ => (int)DefaultMiB,
    };

    public static TilingOptions Read(ParseResult parse, Option<int> option) =>
        new() { MemoryBudgetBytes = (long)parse.GetValue(option) << 20 };
}
