using System.Runtime.CompilerServices;

namespace Vdsr.Core.Model.Winograd;

/// <summary>One convolution's NHWC buffers, shapes and weights, as the block workers see them.</summary>
internal readonly unsafe struct ConvJob
{
    public float* X { get; init; }   // [N, H, W, Cp], channels C..Cp zero
    public float* Y { get; init; }   // [N, H, W, O]
    public float* U { get; init; }   // [36, Cp, Op]
    public int N { get; init; }
    public int H { get; init; }
    public int W { get; init; }
    public int C { get; init; }
    public int O { get; init; }
    /// <summary>C and O rounded up to the vector width: the transforms and products run on whole vectors.</summary>
    public int Cp { get; init; }
    public int Op { get; init; }
    public bool Relu { get; init; }

    public int TilesH => (H + TileTransforms.Tile - 1) / TileTransforms.Tile;
    public int TilesW => (W + TileTransforms.Tile - 1) / TileTransforms.Tile;
    public int Tiles => N * TilesH * TilesW;
}

/// <summary>
/// Runs a conv as blocks of <see cref="BlockTiles"/> consecutive 4x4 output tiles: each worker
/// thread takes the next free block of its range (<see cref="BlockRanges"/>), transforms its input
/// tiles into V[tiles, 36, Cp], multiplies the 36 matrices by U into M[tiles, 36, Op], and
/// transforms M into output tiles, so a block's V and M stay in the worker's cache and the workers
/// never wait for each other between phases.
/// </summary>
internal static unsafe class TileBlocks
{
    /// <summary>
    /// Tiles per block, a multiple of the kernel's rows. At 64 channels a block's V and M are 162 KiB
    /// each, so they and U (576 KiB) stay in a 1 MiB L2: measured at 256x256, 18 tiles took 9.2 ms
    /// at 1 thread and 6.0 ms at 2, 96 tiles 10.4 and 9.0 ms (two threads then contend for L3).
    /// With the tile-major V and M, 18 to 36 tiles are within 2% of each other at 32 and 64 channels
    /// (18 layers, 256x256, 2 threads); 6 tiles are 11% slower at 32 channels.
    /// </summary>
    public const int BlockTiles = 18;

    public static void Run<TV>(in ConvJob job, int threads) where TV : struct, ISimd<TV>
    {
        int blocks = (job.Tiles + BlockTiles - 1) / BlockTiles;
        int workers = Math.Max(1, Math.Min(threads, blocks));
        var cursors = new BlockRanges(blocks, workers);
        if (workers == 1)
        {
            Worker<TV>(job, cursors, 0);
            return;
        }
        var copy = job;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w => Worker<TV>(copy, cursors, w));
    }

    /// <summary>
    /// Takes blocks until none is left: first those of its own range, then those left in the
    /// others'. Handing them out one at a time rather than by a fixed split keeps every thread busy
    /// when one starts late (a pool thread waking up) or is preempted; the result does not depend
    /// on which thread runs a block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    private static void Worker<TV>(in ConvJob job, BlockRanges cursors, int own) where TV : struct, ISimd<TV>
    {
        nint vFloats = (nint)TileTransforms.Positions * BlockTiles * job.Cp;
        nint mFloats = (nint)TileTransforms.Positions * BlockTiles * job.Op;
        nint patchFloats = (nint)TileTransforms.Positions * job.Cp;
        nint tileFloats = (nint)TileTransforms.Tile * TileTransforms.Tile * job.Op;
        // Every part is a multiple of 16 floats, so each stays 64-byte aligned. Pad rows of a partial
        // block are multiplied too: they hold zeros or earlier blocks' values, finite either way.
        float* space = ScratchMemory.Workspace(vFloats + mFloats + patchFloats + tileFloats);
        var ws = new Workspace(space, space + vFloats, space + vFloats + mFloats,
            space + vFloats + mFloats + patchFloats);
        for (int k = 0; k < cursors.Count; k++)
        {
            int range = (own + k) % cursors.Count;
            int block;
            while ((block = cursors.Next(range)) >= 0)
            {
                int first = block * BlockTiles;
                int n = Math.Min(BlockTiles, job.Tiles - first);
                InputBlock<TV>(job, ws, first, n);
                int rows = (n + GemmKernel.Rows - 1) / GemmKernel.Rows * GemmKernel.Rows;
                for (int t = 0; t < TileTransforms.Positions; t++)
                {
                    GemmKernel.Multiply<TV>(
                        ws.V + (nint)t * job.Cp, TileTransforms.Positions * job.Cp,
                        job.U + (nint)t * job.Cp * job.Op, job.Op,
                        ws.M + (nint)t * job.Op, TileTransforms.Positions * job.Op,
                        rows, job.C, job.Op); // V's padding channels are zero: the reduction stops at C
                }
                OutputBlock<TV>(job, ws, first, n);
            }
        }
    }

    private readonly struct Workspace(float* v, float* m, float* patch, float* tile)
    {
        public readonly float* V = v;         // [BlockTiles, 36, Cp]: a tile's 36 transformed vectors are contiguous
        public readonly float* M = m;         // [BlockTiles, 36, Op]
        public readonly float* Patch = patch; // [6, 6, Cp]: a border tile's input with its zero padding
        public readonly float* Tile = tile;   // [4, 4, Op]: a tile's output before clipping (image border, channels O..Op)
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    private static void InputBlock<TV>(in ConvJob job, in Workspace ws, int first, int n) where TV : struct, ISimd<TV>
    {
        const int alpha = TileTransforms.Alpha;
        int cp = job.Cp;
        nint tileFloats = (nint)TileTransforms.Positions * cp;
        for (int i = 0; i < n; i++)
        {
            var (image, oy, ox) = Locate(job, first + i);
            int y0 = oy - 1, x0 = ox - 1; // the input patch starts one pixel before the output tile
            float* plane = job.X + (nint)image * job.H * job.W * cp;
            float* src;
            nint rowStride;
            if (y0 >= 0 && x0 >= 0 && y0 + alpha <= job.H && x0 + alpha <= job.W)
            {
                src = plane + ((nint)y0 * job.W + x0) * cp;
                rowStride = (nint)job.W * cp;
            }
            else
            {
                GatherPatch(plane, job.H, job.W, cp, y0, x0, ws.Patch);
                src = ws.Patch;
                rowStride = (nint)alpha * cp;
            }
            float* dst = ws.V + i * tileFloats;
            for (int c = 0; c < cp; c += TV.Count)
                TileTransforms.Input<TV>(src + c, cp, rowStride, dst + c, cp);
        }
    }

    /// <summary>The image of tile number <paramref name="tile"/> (row-major over all images) and its output tile's top-left pixel.</summary>
    private static (int Image, int Top, int Left) Locate(in ConvJob job, int tile)
    {
        int perImage = job.TilesH * job.TilesW;
        int rest = tile % perImage;
        return (tile / perImage, rest / job.TilesW * TileTransforms.Tile, rest % job.TilesW * TileTransforms.Tile);
    }

    /// <summary>The 6x6 patch at (y0, x0), zero outside the image.</summary>
    private static void GatherPatch(float* plane, int h, int w, int cp, int y0, int x0, float* patch)
    {
        const int alpha = TileTransforms.Alpha;
        for (int r = 0; r < alpha; r++)
        {
            int y = y0 + r;
            for (int j = 0; j < alpha; j++)
            {
                int x = x0 + j;
                var dst = new Span<float>(patch + (r * alpha + j) * cp, cp);
                if ((uint)y < (uint)h && (uint)x < (uint)w)
                    new ReadOnlySpan<float>(plane + ((nint)y * w + x) * cp, cp).CopyTo(dst);
                else
                    dst.Clear();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    private static void OutputBlock<TV>(in ConvJob job, in Workspace ws, int first, int n) where TV : struct, ISimd<TV>
    {
        const int m = TileTransforms.Tile;
        int o = job.O, op = job.Op;
        nint tileFloats = (nint)TileTransforms.Positions * op;
        for (int i = 0; i < n; i++)
        {
            var (image, oy, ox) = Locate(job, first + i);
            float* plane = job.Y + (nint)image * job.H * job.W * o;
            bool direct = o == op && oy + m <= job.H && ox + m <= job.W;
            float* dst = direct ? plane + ((nint)oy * job.W + ox) * op : ws.Tile;
            nint rowStride = direct ? (nint)job.W * op : (nint)m * op;
            float* src = ws.M + i * tileFloats;
            for (int c = 0; c < op; c += TV.Count)
                TileTransforms.Output<TV>(src + c, op, dst + c, op, rowStride, job.Relu);
            if (!direct)
            {
                int rows = Math.Min(m, job.H - oy), cols = Math.Min(m, job.W - ox);
                for (int k = 0; k < rows; k++)
                for (int j = 0; j < cols; j++)
                {
                    new ReadOnlySpan<float>(ws.Tile + (k * m + j) * op, o)
                        .CopyTo(new Span<float>(plane + ((nint)(oy + k) * job.W + ox + j) * o, o));
                }
            }
        }
    }
}
