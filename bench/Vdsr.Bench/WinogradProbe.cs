using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Vdsr.Bench;

/// <summary>
/// Prototype of a Winograd 3x3 conv for one VDSR hidden layer (64->64, stride 1, padding 1, no
/// bias, inference), measured against libtorch's channels-last direct conv. The channel-mixing
/// products run in libtorch, as one bmm per block of tiles ([T, tiles, 64] x [T, 64, 64], MKL) or as
/// one grouped 1x1 conv (oneDNN); neither reached 1.4x, which is why the production
/// <see cref="Vdsr.Core.Model.Winograd.WinogradConv"/> runs the products in its own kernel. The
/// input transform (B^T d B) and output transform (A^T m A) are written here with SIMD over the
/// channel axis, because channels-last keeps a pixel's 64 channels contiguous. Tiles are processed
/// in blocks so that the transformed input V and the product M of a block stay in L2.
/// </summary>
internal static unsafe class WinogradProbe
{
    private const int Channels = 64;

    public static void Run(int size, int threads, int repeats)
    {
        set_num_threads(threads);
        using var _ = no_grad();
        Console.WriteLine($"winograd simd={(Vector512.IsHardwareAccelerated ? "Vector512" : "Vector256")}");
        MeasureProduction(size, threads, repeats);
        foreach (int s in new[] { size, 252, 37 }.Distinct())
            CheckCorrectness(s, threads);
        Measure(size, threads, repeats);
    }

    /// <summary>
    /// The production <see cref="Vdsr.Core.Model.Winograd.WinogradConv.Forward"/> (weight transform
    /// included, ReLU fused) against libtorch's channels-last direct conv followed by an in-place ReLU.
    /// </summary>
    private static void MeasureProduction(int size, int threads, int repeats)
    {
        using var scope = NewDisposeScope();
        var (x, w) = RandomLayer(size);
        double direct = Best(repeats, () =>
        {
            using var y = nn.functional.conv2d(x, w, padding: [1, 1]);
            y.relu_();
        });
        double winograd = Best(repeats, () => { using (Vdsr.Core.Model.Winograd.WinogradConv.Forward(x, w, relu: true)) { } });
        using var expected = nn.functional.relu(nn.functional.conv2d(x, w, padding: [1, 1]));
        using var actual = Vdsr.Core.Model.Winograd.WinogradConv.Forward(x, w, relu: true);
        float diff = (actual - expected).abs().max().item<float>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"winograd production size={size} threads={threads} direct_relu_ms={direct:F2} winograd_relu_ms={winograd:F2} x={direct / winograd:F2} maxdiff={diff:E2} accelerated={Vdsr.Core.Model.Winograd.WinogradConv.IsAccelerated}"));
    }

    private static void CheckCorrectness(int size, int threads)
    {
        using var scope = NewDisposeScope();
        var (x, w) = RandomLayer(size);
        var direct = nn.functional.conv2d(x, w, padding: [1, 1]);
        foreach (var (m, products) in Variants)
        {
            using var conv = new ProbeConv(w, m, blockTiles: 37, threads, products); // odd block size: exercises partial blocks
            var (outNhwc, outNchw) = NewChannelsLastOutput(size);
            conv.Forward(x, outNhwc, out _);
            float diff = (outNchw - direct).abs().max().item<float>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"winograd maxdiff_{VariantName(m, products)} size={size} diff={diff:E2}"));
        }
    }

    /// <summary>Every tile size with every product engine.</summary>
    private static IEnumerable<(int M, Products Products)> Variants =>
        from products in new[] { Products.Bmm, Products.GroupedConv }
        from m in new[] { 2, 4 }
        select (m, products);

    private static string VariantName(int m, Products products) =>
        $"f{m}x{m}_{(products == Products.Bmm ? "bmm" : "gconv")}";

    private static void Measure(int size, int threads, int repeats)
    {
        using var scope = NewDisposeScope();
        var (x, w) = RandomLayer(size);
        double direct = Best(repeats, () => { using (nn.functional.conv2d(x, w, padding: [1, 1])) { } });
        Print("direct", size, threads, direct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"winograd direct_rate size={size} threads={threads} gfma_s={(double)size * size * Channels * Channels * 9 / direct / 1e6:F1}"));
        GemmRates(threads, repeats);
        var (outNhwc, _) = NewChannelsLastOutput(size);
        foreach (var (m, products) in Variants)
        {
            string name = VariantName(m, products);
            (double Total, Parts Parts, int Block) best = (double.MaxValue, default, 0);
            foreach (int blockTiles in new[] { 16, 32, 64, 128, 256 })
            {
                using var conv = new ProbeConv(w, m, blockTiles, threads, products);
                var (total, parts) = BestForward(conv, x, outNhwc, repeats);
                Print($"{name}_total_block{blockTiles}", size, threads, total);
                if (total < best.Total) best = (total, parts, blockTiles);
            }
            Print($"{name}_total", size, threads, best.Total);
            Print($"{name}_input", size, threads, best.Parts.Input);
            Print($"{name}_products", size, threads, best.Parts.Products);
            Print($"{name}_output", size, threads, best.Parts.Output);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"winograd {name}_speedup size={size} threads={threads} block={best.Block} x={direct / best.Total:F2}"));
        }
    }

    /// <summary>
    /// libtorch's fp32 GEMM rate (GFMA/s) on a block-sized bmm and on one large mm, next to the
    /// direct conv's rate, to tell whether the products or the transforms limit Winograd.
    /// </summary>
    private static void GemmRates(int threads, int repeats)
    {
        using var scope = NewDisposeScope();
        var a = rand(36, 256, Channels);
        var b = rand(36, Channels, Channels);
        double bmmMs = Best(repeats, () => { using (a.bmm(b)) { } });
        var big = rand(1024, 1024);
        double mmMs = Best(repeats, () => { using (big.mm(big)) { } });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"winograd gemm_rate bmm36x256x64x64 threads={threads} gfma_s={36.0 * 256 * 64 * 64 / bmmMs / 1e6:F1} mm1024 gfma_s={1024.0 * 1024 * 1024 / mmMs / 1e6:F1}"));
    }

    /// <summary>Best of <paramref name="repeats"/> runs after one warm-up; the parts are those of the best run.</summary>
    private static (double Total, Parts Parts) BestForward(ProbeConv conv, Tensor x, Tensor outNhwc, int repeats)
    {
        (double Total, Parts Parts) best = (double.MaxValue, default);
        for (int r = 0; r <= repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            conv.Forward(x, outNhwc, out var parts);
            double total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (r > 0 && total < best.Total) best = (total, parts);
        }
        return best;
    }

    private static double Best(int repeats, Action run)
    {
        double best = double.MaxValue;
        for (int r = 0; r <= repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            if (r > 0) best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return best;
    }

    private static void Print(string name, int size, int threads, double ms) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"winograd {name} size={size} threads={threads} ms={ms:F2}"));

    /// <summary>The layer's input and weight, both channels-last (VDSR's initialisation scale).</summary>
    private static (Tensor X, Tensor W) RandomLayer(int size)
    {
        manual_seed(0);
        var x = ToChannelsLast(rand(1, Channels, size, size));
        var w = ToChannelsLast(randn(Channels, Channels, 3, 3) * Math.Sqrt(2.0 / (9 * Channels)));
        return (x, w);
    }

    /// <summary>An NHWC tensor to write into, and the NCHW-shaped channels-last view of it.</summary>
    private static (Tensor Nhwc, Tensor Nchw) NewChannelsLastOutput(int size)
    {
        var nhwc = empty(1, size, size, Channels);
        return (nhwc, nhwc.permute(0, 3, 1, 2));
    }

    /// <summary>A fresh random tensor in channels-last memory (the random one is released).</summary>
    private static Tensor ToChannelsLast(Tensor t)
    {
        using (t) return Vdsr.Core.Model.ChannelsLast.Of(t);
    }

    /// <summary>Pointer to a contiguous float tensor's storage (CPU memory that libtorch owns, so it does not move).</summary>
    private static float* FloatPointer(Tensor t)
    {
        if (!t.is_contiguous() || t.dtype != ScalarType.Float32)
            throw new InvalidOperationException("expected a contiguous float32 tensor");
        return (float*)Unsafe.AsPointer(ref t.bytes.GetPinnableReference());
    }

    internal readonly record struct Parts(double Input, double Products, double Output);

    /// <summary>How the T channel-mixing products of a block run: libtorch bmm (MKL) or a libtorch grouped 1x1 conv (oneDNN).</summary>
    internal enum Products { Bmm, GroupedConv }

    /// <summary>
    /// Winograd F(m x m, 3 x 3) for a fixed 64->64 weight: alpha = m + 2 is the transformed tile
    /// side and T = alpha^2 the number of channel-mixing products per tile.
    /// </summary>
    private sealed class ProbeConv : IDisposable
    {
        private readonly int _m;
        private readonly int _alpha;
        private readonly int _t;
        private readonly int _blockTiles;
        private readonly int _threads;
        private readonly Products _products;
        private readonly Tensor _u;         // Bmm: [T, Cin, Cout]; GroupedConv: [T * Cout, Cin, 1, 1]. G g G^T, transformed once.
        private readonly Tensor _vStorage;  // room for one block's V

        public ProbeConv(Tensor weight, int m, int blockTiles, int threads, Products products)
        {
            if (m is not (2 or 4)) throw new ArgumentOutOfRangeException(nameof(m));
            _m = m;
            _alpha = m + 2;
            _t = _alpha * _alpha;
            _blockTiles = blockTiles;
            _threads = threads;
            _products = products;
            using (var u = TransformWeight(weight, m))
                _u = products != Products.GroupedConv ? u.contiguous()
                    : u.permute(0, 2, 1).reshape(_t * Channels, Channels, 1, 1).contiguous();
            _vStorage = zeros((long)_t * blockTiles * Channels);
        }

        public void Dispose()
        {
            _u.Dispose();
            _vStorage.Dispose();
        }

        /// <summary>U[t, ci, co] = (G w[co, ci] G^T)[t], computed in float64 so it adds no error of its own.</summary>
        private static Tensor TransformWeight(Tensor weight, int m)
        {
            double[] g = m == 2
                ? [1, 0, 0,
                   0.5, 0.5, 0.5,
                   0.5, -0.5, 0.5,
                   0, 0, 1]
                : [1.0 / 4, 0, 0,
                   -1.0 / 6, -1.0 / 6, -1.0 / 6,
                   -1.0 / 6, 1.0 / 6, -1.0 / 6,
                   1.0 / 24, 1.0 / 12, 1.0 / 6,
                   1.0 / 24, -1.0 / 12, 1.0 / 6,
                   0, 0, 1];
            int alpha = m + 2;
            using var scope = NewDisposeScope();
            var gm = tensor(g, ScalarType.Float64).reshape(alpha, 3);
            var u = gm.matmul(weight.to(ScalarType.Float64)).matmul(gm.t()); // [Cout, Cin, alpha, alpha]
            return u.permute(2, 3, 1, 0).reshape(alpha * alpha, Channels, Channels)
                .to(ScalarType.Float32).MoveToOuterDisposeScope();
        }

        /// <summary>
        /// Where V[t, tile, c] (and the product M, same layout) of an n-tile block lives: Bmm packs
        /// [T, n, C]; GroupedConv packs [n, T, C], which is the channels-last layout of a
        /// [1, T * C, n, 1] image, so one grouped 1x1 conv (T groups of C->C) does all T products.
        /// </summary>
        private (nint TileStride, nint TStride) Strides(int n) =>
            _products == Products.Bmm ? (Channels, (nint)n * Channels) : ((nint)_t * Channels, Channels);

        /// <summary>Convolves channels-last <paramref name="x"/> into the NHWC tensor <paramref name="outNhwc"/>.</summary>
        public void Forward(Tensor x, Tensor outNhwc, out Parts parts)
        {
            long h = x.shape[2], w = x.shape[3];
            using var xNhwc = x.permute(0, 2, 3, 1);
            var image = new Image(FloatPointer(xNhwc), FloatPointer(outNhwc), (int)h, (int)w, _m);
            if (Vector512.IsHardwareAccelerated) Run<V512>(image, out parts);
            else Run<V256>(image, out parts);
        }

        private void Run<TV>(Image image, out Parts parts) where TV : struct, ISimd<TV>
        {
            long input = 0, products = 0, output = 0;
            float* v = FloatPointer(_vStorage);
            using var fullBlock = BlockView(_blockTiles);
            for (int first = 0; first < image.Tiles; first += _blockTiles)
            {
                int n = Math.Min(_blockTiles, image.Tiles - first);
                long t0 = Stopwatch.GetTimestamp();
                ForTiles(n, (lo, hi) => InputTransform<TV>(image, v, first, n, lo, hi));
                long t1 = Stopwatch.GetTimestamp();
                // V is packed densely for this block, so a partial block is a prefix of the storage.
                using var partialBlock = n == _blockTiles ? null : BlockView(n);
                using var product = Multiply(partialBlock ?? fullBlock);
                float* mPtr = FloatPointer(product);
                long t2 = Stopwatch.GetTimestamp();
                ForTiles(n, (lo, hi) => OutputTransform<TV>(image, mPtr, first, n, lo, hi));
                long t3 = Stopwatch.GetTimestamp();
                input += t1 - t0;
                products += t2 - t1;
                output += t3 - t2;
            }
            double toMs = 1e3 / Stopwatch.Frequency;
            parts = new Parts(input * toMs, products * toMs, output * toMs);
        }

        /// <summary>The first n tiles' V as the tensor the product engine takes.</summary>
        private Tensor BlockView(int n)
        {
            using var flat = _vStorage.narrow(0, 0, (long)_t * n * Channels);
            if (_products == Products.Bmm) return flat.view(_t, n, Channels);
            using var nhwc = flat.view(1, n, 1, _t * Channels);
            return nhwc.permute(0, 3, 1, 2);
        }

        /// <summary>M for one block, as a contiguous tensor in the same layout as V.</summary>
        private Tensor Multiply(Tensor vBlock)
        {
            if (_products == Products.Bmm) return vBlock.bmm(_u);
            using var m = nn.functional.conv2d(vBlock, _u, groups: _t); // channels-last in, channels-last out
            return m.permute(0, 2, 3, 1); // an NHWC view; FloatPointer checks it is dense
        }

        /// <summary>Runs tiles [0, n) of a block on this thread, or split across threads when more than one.</summary>
        private void ForTiles(int n, Action<int, int> body)
        {
            if (_threads <= 1 || n < 2 * _threads)
            {
                body(0, n);
                return;
            }
            Parallel.For(0, _threads, part => body(n * part / _threads, n * (part + 1) / _threads));
        }

        /// <summary>V[t, i, c] for block tiles i in [lo, hi): B^T d B of each tile's alpha x alpha input patch.</summary>
        private void InputTransform<TV>(Image image, float* v, int first, int n, int lo, int hi) where TV : struct, ISimd<TV>
        {
            int alpha = _alpha;
            var (tileStride, tStride) = Strides(n);
            // Border patches are gathered here with their zero padding; tmp holds the column pass.
            float* patch = stackalloc float[alpha * alpha * Channels];
            float* tmp = stackalloc float[alpha * alpha * TV.Count];
            for (int i = lo; i < hi; i++)
            {
                int tile = first + i;
                int y0 = tile / image.TilesW * _m - 1, x0 = tile % image.TilesW * _m - 1;
                float* src;
                nint rowStride;
                if (y0 >= 0 && x0 >= 0 && y0 + alpha <= image.H && x0 + alpha <= image.W)
                {
                    src = image.X + ((nint)y0 * image.W + x0) * Channels;
                    rowStride = (nint)image.W * Channels;
                }
                else
                {
                    GatherPatch(image, y0, x0, alpha, patch);
                    src = patch;
                    rowStride = (nint)alpha * Channels;
                }
                float* dst = v + i * tileStride;
                for (int c = 0; c < Channels; c += TV.Count)
                {
                    // Columns: tmp[r, j] = (B^T d)[r, j]; rows: V[r * alpha + k] = (tmp B)[r, k].
                    for (int j = 0; j < alpha; j++)
                        In<TV>(src + j * Channels + c, rowStride, tmp + j * TV.Count, alpha * TV.Count);
                    for (int r = 0; r < alpha; r++)
                        In<TV>(tmp + r * alpha * TV.Count, TV.Count, dst + r * alpha * tStride + c, tStride);
                }
            }
        }

        private static void GatherPatch(Image image, int y0, int x0, int alpha, float* patch)
        {
            for (int r = 0; r < alpha; r++)
            for (int j = 0; j < alpha; j++)
            {
                int y = y0 + r, x = x0 + j;
                var dst = new Span<float>(patch + (r * alpha + j) * Channels, Channels);
                if ((uint)y < (uint)image.H && (uint)x < (uint)image.W)
                    new ReadOnlySpan<float>(image.X + ((nint)y * image.W + x) * Channels, Channels).CopyTo(dst);
                else
                    dst.Clear();
            }
        }

        /// <summary>Output of block tiles [lo, hi): A^T m A of each tile's T products, clipped at the image edge.</summary>
        private void OutputTransform<TV>(Image image, float* mPtr, int first, int n, int lo, int hi) where TV : struct, ISimd<TV>
        {
            int alpha = _alpha, m = _m;
            var (tileStride, tStride) = Strides(n);
            float* tile = stackalloc float[m * m * Channels];
            float* tmp = stackalloc float[m * alpha * TV.Count];
            for (int i = lo; i < hi; i++)
            {
                int index = first + i;
                int oy = index / image.TilesW * m, ox = index % image.TilesW * m;
                bool inside = oy + m <= image.H && ox + m <= image.W;
                float* dst = inside ? image.Y + ((nint)oy * image.W + ox) * Channels : tile;
                nint rowStride = inside ? (nint)image.W * Channels : (nint)m * Channels;
                float* src = mPtr + i * tileStride;
                for (int c = 0; c < Channels; c += TV.Count)
                {
                    // Columns: tmp[k, j] = (A^T M)[k, j] over the T products; rows: Y[k, l] = (tmp A)[k, l].
                    for (int j = 0; j < alpha; j++)
                        Out<TV>(src + j * tStride + c, alpha * tStride, tmp + j * TV.Count, alpha * TV.Count);
                    for (int k = 0; k < m; k++)
                        Out<TV>(tmp + k * alpha * TV.Count, TV.Count, dst + k * rowStride + c, Channels);
                }
                if (!inside)
                {
                    for (int k = 0; k < m && oy + k < image.H; k++)
                    {
                        int cols = Math.Min(m, image.W - ox);
                        new ReadOnlySpan<float>(tile + k * m * Channels, cols * Channels)
                            .CopyTo(new Span<float>(image.Y + ((nint)(oy + k) * image.W + ox) * Channels, cols * Channels));
                    }
                }
            }
        }

        /// <summary>One 1-D input transform (B^T times alpha values read with stride s), written with stride d.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void In<TV>(float* s, nint ss, float* d, nint ds) where TV : struct, ISimd<TV>
        {
            if (_m == 2) In4<TV>(s, ss, d, ds);
            else In6<TV>(s, ss, d, ds);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Out<TV>(float* s, nint ss, float* d, nint ds) where TV : struct, ISimd<TV>
        {
            if (_m == 2) Out4<TV>(s, ss, d, ds);
            else Out6<TV>(s, ss, d, ds);
        }

        // F(2,3): B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void In4<TV>(float* s, nint ss, float* d, nint ds) where TV : struct, ISimd<TV>
        {
            TV d0 = TV.Load(s), d1 = TV.Load(s + ss), d2 = TV.Load(s + 2 * ss), d3 = TV.Load(s + 3 * ss);
            TV.Store(d, d0 - d2);
            TV.Store(d + ds, d1 + d2);
            TV.Store(d + 2 * ds, d2 - d1);
            TV.Store(d + 3 * ds, d1 - d3);
        }

        // F(2,3): A^T = [1 1 1 0; 0 1 -1 -1].
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Out4<TV>(float* s, nint ss, float* d, nint ds) where TV : struct, ISimd<TV>
        {
            TV m0 = TV.Load(s), m1 = TV.Load(s + ss), m2 = TV.Load(s + 2 * ss), m3 = TV.Load(s + 3 * ss);
            TV.Store(d, m0 + m1 + m2);
            TV.Store(d + ds, m1 - m2 - m3);
        }

        // F(4,3): B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1],
        // factored so rows 1/2 and 3/4 share their sums.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void In6<TV>(float* s, nint ss, float* d, nint ds) where TV : struct, ISimd<TV>
        {
            TV d0 = TV.Load(s), d1 = TV.Load(s + ss), d2 = TV.Load(s + 2 * ss);
            TV d3 = TV.Load(s + 3 * ss), d4 = TV.Load(s + 4 * ss), d5 = TV.Load(s + 5 * ss);
            TV a = TV.Fma(d2, -4f, d4), b = TV.Fma(d1, -4f, d3);
            TV e = d4 - d2, f = (d3 - d1) * 2f;
            TV.Store(d, TV.Fma(d0, 4f, TV.Fma(d2, -5f, d4)));
            TV.Store(d + ds, a + b);
            TV.Store(d + 2 * ds, a - b);
            TV.Store(d + 3 * ds, e + f);
            TV.Store(d + 4 * ds, e - f);
            TV.Store(d + 5 * ds, TV.Fma(d1, 4f, TV.Fma(d3, -5f, d5)));
        }

        // F(4,3): A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1].
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Out6<TV>(float* s, nint ss, float* d, nint ds) where TV : struct, ISimd<TV>
        {
            TV m0 = TV.Load(s), m1 = TV.Load(s + ss), m2 = TV.Load(s + 2 * ss);
            TV m3 = TV.Load(s + 3 * ss), m4 = TV.Load(s + 4 * ss), m5 = TV.Load(s + 5 * ss);
            TV p12 = m1 + m2, q12 = m1 - m2, p34 = m3 + m4, q34 = m3 - m4;
            TV.Store(d, m0 + p12 + p34);
            TV.Store(d + ds, TV.Fma(q34, 2f, q12));
            TV.Store(d + 2 * ds, TV.Fma(p34, 4f, p12));
            TV.Store(d + 3 * ds, TV.Fma(q34, 8f, q12) + m5);
        }
    }

    /// <summary>The NHWC input and output storage of one forward, and its tiling.</summary>
    private readonly struct Image(float* x, float* y, int h, int w, int m)
    {
        public readonly float* X = x;
        public readonly float* Y = y;
        public readonly int H = h;
        public readonly int W = w;
        public readonly int TilesW = (w + m - 1) / m;
        public readonly int Tiles = (h + m - 1) / m * ((w + m - 1) / m);
    }

    /// <summary>
    /// The few vector operations the transforms need, over Vector512 or Vector256: the JIT
    /// specialises each generic transform per struct, so the wrappers cost nothing.
    /// </summary>
    private interface ISimd<TSelf> where TSelf : struct, ISimd<TSelf>
    {
        static abstract int Count { get; }
        static abstract TSelf Load(float* p);
        static abstract void Store(float* p, TSelf v);
        /// <summary>a * s + c, fused where the hardware has FMA.</summary>
        static abstract TSelf Fma(TSelf a, float s, TSelf c);
        static abstract TSelf operator +(TSelf a, TSelf b);
        static abstract TSelf operator -(TSelf a, TSelf b);
        static abstract TSelf operator *(TSelf a, float s);
    }

    private readonly struct V512(Vector512<float> v) : ISimd<V512>
    {
        private readonly Vector512<float> _v = v;
        public static int Count => Vector512<float>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512 Load(float* p) => new(Vector512.Load(p));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, V512 v) => v._v.Store(p);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V512 Fma(V512 a, float s, V512 c) => new(Vector512.MultiplyAddEstimate(a._v, Vector512.Create(s), c._v));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512 operator +(V512 a, V512 b) => new(a._v + b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512 operator -(V512 a, V512 b) => new(a._v - b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512 operator *(V512 a, float s) => new(a._v * s);
    }

    private readonly struct V256(Vector256<float> v) : ISimd<V256>
    {
        private readonly Vector256<float> _v = v;
        public static int Count => Vector256<float>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256 Load(float* p) => new(Vector256.Load(p));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, V256 v) => v._v.Store(p);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V256 Fma(V256 a, float s, V256 c) => new(Vector256.MultiplyAddEstimate(a._v, Vector256.Create(s), c._v));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256 operator +(V256 a, V256 b) => new(a._v + b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256 operator -(V256 a, V256 b) => new(a._v - b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256 operator *(V256 a, float s) => new(a._v * s);
    }
}
