using Vdsr.Core.Model;

namespace Vdsr.Core.Inference;

/// <summary>
/// Runs a VDSR network over a single-channel float image of any size with bounded memory:
/// overlapping tiles, each with a halo of context that is cut away before stitching.
/// </summary>
public sealed class TiledInference
{
    // Measured: a forward holds about five 64-channel activations per pixel at its peak
    // (the current and next layer plus oneDNN's reordered copies).
    private const int LiveActivationsPerPixel = 5;

    private float[] _tileInput = [];
    private float[] _tileOutput = [];

    private readonly ITileNetwork _net;
    private readonly TilingOptions _options;

    public TiledInference(ITileNetwork network, TilingOptions? options = null)
    {
        _net = network;
        _options = options ?? new TilingOptions();
        if (_options.Halo is < 0) throw new VdsrUserException("tile halo must not be negative");
        if (_options.TileSize is < 1) throw new VdsrUserException("tile size must be at least 1");
        if (_options.MemoryBudgetBytes < 1 << 20) throw new VdsrUserException("the memory budget must be at least 1 MiB");
    }

    public int Halo => _options.Halo ?? _net.Architecture.ReceptiveRadius;

    /// <summary>What the network runs, e.g. "fp32, winograd" (<see cref="ITileNetwork.Plan"/>).</summary>
    public string Plan => _net.Plan;

    /// <summary>
    /// Bytes of activations one pixel of a tile needs, counted in float32 for both precisions.
    /// bf16 activations take half the bytes, but tiles of twice the pixels made the 1920x1080 x2
    /// upscale slower and larger (vdsr-demo, 512 MiB budget: 23.7 s and 2.16 GB peak RSS, against
    /// 17.2 s and 1.11 GB with the float32 tile size), so bf16 keeps the float32 tile size.
    /// </summary>
    public long BytesPerPixel => 4L * LiveActivationsPerPixel * Math.Max(1, _net.Architecture.HiddenWidths.Max());

    /// <summary>The core tile side used for an image of this size.</summary>
    public int CoreTileSize(int height, int width)
    {
        if (_options.TileSize is int fixedSize) return fixedSize;
        long pixels = _options.MemoryBudgetBytes / BytesPerPixel;
        if ((long)height * width <= pixels) return Math.Max(height, width); // one tile, no halo needed
        int side = (int)Math.Sqrt(pixels) - 2 * Halo;
        if (side < 16)
            throw new VdsrUserException($"a memory budget of {_options.MemoryBudgetBytes >> 20} MiB is too small for tiles with a {Halo}-pixel halo");
        return side;
    }

    /// <summary>
    /// The network's raw output (residual added, not clipped) for <paramref name="image"/>,
    /// row-major height x width, values in the network's units (Y/255).
    /// </summary>
    public float[] Run(float[] image, int height, int width, Action<int, int>? tileDone = null)
    {
        if (image.Length != (long)height * width)
            throw new ArgumentException($"{image.Length} values do not fill a {height}x{width} image");
        var output = new float[image.Length];
        int core = CoreTileSize(height, width);
        int halo = Halo;
        int rows = (height + core - 1) / core, cols = (width + core - 1) / core;
        int done = 0;
        for (int tr = 0; tr < rows; tr++)
        for (int tc = 0; tc < cols; tc++)
        {
            int r0 = tr * core, c0 = tc * core;
            int r1 = Math.Min(height, r0 + core), c1 = Math.Min(width, c0 + core);
            int ir0 = Math.Max(0, r0 - halo), ic0 = Math.Max(0, c0 - halo);
            int ir1 = Math.Min(height, r1 + halo), ic1 = Math.Min(width, c1 + halo);
            RunTile(image, width, output, ir0, ic0, ir1 - ir0, ic1 - ic0, r0, c0, r1 - r0, c1 - c0);
            tileDone?.Invoke(++done, rows * cols);
        }
        return output;
    }

    private void RunTile(float[] image, int width, float[] output,
        int inTop, int inLeft, int inHeight, int inWidth, int top, int left, int height, int widthOut)
    {
        // Tiles of one image mostly share a size, so the staging arrays are reused.
        int pixels = inHeight * inWidth;
        if (_tileInput.Length != pixels) (_tileInput, _tileOutput) = (new float[pixels], new float[pixels]);
        var tile = _tileInput;
        for (int r = 0; r < inHeight; r++)
            Array.Copy(image, (inTop + r) * width + inLeft, tile, r * inWidth, inWidth);
        var values = _tileOutput;
        _net.Forward(tile, inHeight, inWidth, values);
        for (int r = 0; r < height; r++)
            Array.Copy(values, (top - inTop + r) * inWidth + (left - inLeft), output, (top + r) * width + left, widthOut);
    }
}
