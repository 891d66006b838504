using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Vdsr.Core.Model;

/// <summary>
/// VDSR's first (1->C, then ReLU) and last (C->1, plus the input image) 3x3 convs for inference,
/// as SIMD loops over channels-last memory. Each is 2 x 9 x C FLOPs per pixel, so libtorch's
/// generic paths (<see cref="GemmConv"/>) spend their time moving intermediate tensors: about
/// 2 ms of a 256x256 forward whatever the width, 7% of a 32-wide bf16 one. Here every output is
/// written once: the ReLU and the residual add are fused, and the last conv reads bfloat16
/// activations directly (widening to float32 is exact), so the bf16 plan casts nothing back.
/// </summary>
public static unsafe class EdgeConvs
{
    private const int Lanes = 8; // Vector256<float>: the same code runs on AVX2-only and AVX-512 CPUs

    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    /// <summary>
    /// relu(conv(x, w)) for x [N, 1, H, W] float32 and w [C, 1, 3, 3] float32: [N, C, H, W] in
    /// channels-last memory, float32 or, for a bf16 plan's hidden convs, bfloat16 rounded as
    /// libtorch's cast rounds (to nearest, ties to even), so that no float32 activation is written.
    /// </summary>
    public static Tensor FirstWithRelu(Tensor x, Tensor w, ScalarType output = ScalarType.Float32)
    {
        Require(x.dim() == 4 && x.shape[1] == 1 && x.dtype == ScalarType.Float32, $"expected an [N, 1, H, W] float32 input, got [{Shape(x)}] {x.dtype}");
        Require(w.dim() == 4 && w.shape[1] == 1 && w.shape[2] == 3 && w.shape[3] == 3 && w.dtype == ScalarType.Float32, $"expected a [C, 1, 3, 3] float32 weight, got [{Shape(w)}]");
        Require(output is ScalarType.Float32 or ScalarType.BFloat16, $"expected a float32 or bfloat16 output, got {output}");
        int n = checked((int)x.shape[0]), h = checked((int)x.shape[2]), width = checked((int)x.shape[3]), c = checked((int)w.shape[0]);
        int cp = TensorMemory.RoundUp(c, Lanes);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var padded = TensorMemory.Dense(nn.functional.pad(x.reshape(n, h, width), [1, 1, 1, 1])); // [N, H + 2, W + 2]
        var taps = Taps(w.reshape(c, 9), c, cp);                                       // [9, Cp], zero past C
        var y = empty(n, h, width, c, dtype: output);
        nint src = TensorMemory.Address(padded, nameof(EdgeConvs)), weights = TensorMemory.Address(taps, nameof(EdgeConvs)), dst = TensorMemory.Address(y, nameof(EdgeConvs));
        var shape = new RowShape(h, width, c, cp);
        if (output == ScalarType.BFloat16)
            ForEachRow(n * h, row => FirstRow<BFloat16Channels>((float*)src, (float*)weights, (void*)dst, row, shape));
        else
            ForEachRow(n * h, row => FirstRow<Float32Channels>((float*)src, (float*)weights, (void*)dst, row, shape));
        return y.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// conv(hidden, w) + residual for hidden [N, C, H, W] (float32 or bfloat16, channels-last memory
    /// reads without a copy), w [1, C, 3, 3] float32 and residual [N, 1, H, W] float32.
    /// </summary>
    public static Tensor LastPlusResidual(Tensor hidden, Tensor w, Tensor residual)
    {
        Require(hidden.dim() == 4 && (hidden.dtype == ScalarType.Float32 || hidden.dtype == ScalarType.BFloat16),
            $"expected an [N, C, H, W] float32 or bfloat16 input, got [{Shape(hidden)}] {hidden.dtype}");
        Require(w.dim() == 4 && w.shape[0] == 1 && w.shape[1] == hidden.shape[1] && w.shape[2] == 3 && w.shape[3] == 3 && w.dtype == ScalarType.Float32,
            $"expected a [1, {hidden.shape[1]}, 3, 3] float32 weight, got [{Shape(w)}]");
        Require(residual.dtype == ScalarType.Float32 && residual.shape.SequenceEqual([hidden.shape[0], 1, hidden.shape[2], hidden.shape[3]]),
            $"expected a [{hidden.shape[0]}, 1, {hidden.shape[2]}, {hidden.shape[3]}] float32 residual, got [{Shape(residual)}]");
        int n = checked((int)hidden.shape[0]), c = checked((int)hidden.shape[1]), h = checked((int)hidden.shape[2]), width = checked((int)hidden.shape[3]);
        int cp = TensorMemory.RoundUp(c, Lanes);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var nhwc = TensorMemory.Dense(hidden.permute(0, 2, 3, 1));
        var taps = Taps(w.reshape(c, 9), c, cp);
        var skip = TensorMemory.Dense(residual);
        var y = empty(n, 1, h, width);
        nint src = TensorMemory.Address(nhwc, nameof(EdgeConvs)), weights = TensorMemory.Address(taps, nameof(EdgeConvs)), add = TensorMemory.Address(skip, nameof(EdgeConvs)), dst = TensorMemory.Address(y, nameof(EdgeConvs));
        var shape = new RowShape(h, width, c, cp);
        if (hidden.dtype == ScalarType.BFloat16)
            ForEachRow(n * h, row => LastRow<BFloat16Channels>((void*)src, (float*)weights, (float*)add, (float*)dst, row, shape));
        else
            ForEachRow(n * h, row => LastRow<Float32Channels>((void*)src, (float*)weights, (float*)add, (float*)dst, row, shape));
        return y.MoveToOuterDisposeScope();
    }

    private static void FirstRow<TChannels>(float* src, float* weights, void* dst, int row, RowShape s)
        where TChannels : struct, IChannelFormat
    {
        int image = row / s.H, i = row % s.H, c = s.C, cp = s.Cp, width = s.Width;
        float* r0 = src + ((long)image * (s.H + 2) + i) * (width + 2), r1 = r0 + width + 2, r2 = r1 + width + 2;
        nint output = (nint)row * width * c;
        float* tail = stackalloc float[Lanes];
        for (int j = 0; j < width; j++, output += c)
        {
            Vector256<float> t0 = Vector256.Create(r0[j]), t1 = Vector256.Create(r0[j + 1]), t2 = Vector256.Create(r0[j + 2]);
            Vector256<float> t3 = Vector256.Create(r1[j]), t4 = Vector256.Create(r1[j + 1]), t5 = Vector256.Create(r1[j + 2]);
            Vector256<float> t6 = Vector256.Create(r2[j]), t7 = Vector256.Create(r2[j + 1]), t8 = Vector256.Create(r2[j + 2]);
            for (int v = 0; v < cp; v += Lanes)
            {
                float* k = weights + v;
                var a = t0 * Vector256.Load(k);
                var b = t1 * Vector256.Load(k + cp);
                a = Vector256.FusedMultiplyAdd(t2, Vector256.Load(k + 2 * cp), a);
                b = Vector256.FusedMultiplyAdd(t3, Vector256.Load(k + 3 * cp), b);
                a = Vector256.FusedMultiplyAdd(t4, Vector256.Load(k + 4 * cp), a);
                b = Vector256.FusedMultiplyAdd(t5, Vector256.Load(k + 5 * cp), b);
                a = Vector256.FusedMultiplyAdd(t6, Vector256.Load(k + 6 * cp), a);
                b = Vector256.FusedMultiplyAdd(t7, Vector256.Load(k + 7 * cp), b);
                a = Vector256.FusedMultiplyAdd(t8, Vector256.Load(k + 8 * cp), a);
                var relu = Vector256.Max(a + b, Vector256<float>.Zero);
                if (v + Lanes <= c) TChannels.Store8(relu, dst, output + v);
                else
                {
                    relu.Store(tail);
                    for (int t = 0; v + t < c; t++) TChannels.Store1(tail[t], dst, output + v + t);
                }
            }
        }
    }

    private readonly record struct RowShape(int H, int Width, int C, int Cp);

    private static void LastRow<TLoad>(void* src, float* weights, float* add, float* dst, int row, RowShape s)
        where TLoad : struct, IChannelFormat
    {
        int image = row / s.H, i = row % s.H, c = s.C, cp = s.Cp;
        int dy0 = i == 0 ? 1 : 0, dy1 = i == s.H - 1 ? 1 : 2;
        long firstPixel = (long)image * s.H * s.Width;
        for (int j = 0; j < s.Width; j++)
        {
            int dx0 = j == 0 ? 1 : 0, dx1 = j == s.Width - 1 ? 1 : 2;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float rest = 0;
            for (int dy = dy0; dy <= dy1; dy++)
            {
                for (int dx = dx0; dx <= dx1; dx++)
                {
                    long pixel = firstPixel + (long)(i + dy - 1) * s.Width + (j + dx - 1);
                    nint at = (nint)(pixel * c);
                    float* k = weights + (dy * 3 + dx) * cp;
                    int v = 0;
                    for (; v + 2 * Lanes <= c; v += 2 * Lanes)
                    {
                        a0 = Vector256.FusedMultiplyAdd(TLoad.Load8(src, at + v), Vector256.Load(k + v), a0);
                        a1 = Vector256.FusedMultiplyAdd(TLoad.Load8(src, at + v + Lanes), Vector256.Load(k + v + Lanes), a1);
                    }
                    for (; v + Lanes <= c; v += Lanes)
                        a2 = Vector256.FusedMultiplyAdd(TLoad.Load8(src, at + v), Vector256.Load(k + v), a2);
                    for (; v < c; v++)
                        rest += TLoad.Load1(src, at + v) * k[v];
                    (a0, a1, a2, a3) = (a3, a2, a0, a1); // four chains in turn: the adds do not wait on one another
                }
            }
            long o = (long)row * s.Width + j;
            dst[o] = add[o] + (Vector256.Sum((a0 + a1) + (a2 + a3)) + rest);
        }
    }

    /// <summary>Reads channels as float32 from, and writes float32 channels to, a buffer of float32 or bfloat16 values.</summary>
    private interface IChannelFormat
    {
        static abstract Vector256<float> Load8(void* p, nint index);
        static abstract float Load1(void* p, nint index);
        static abstract void Store8(Vector256<float> values, void* p, nint index);
        static abstract void Store1(float value, void* p, nint index);
    }

    private readonly struct Float32Channels : IChannelFormat
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load8(void* p, nint index) => Vector256.Load((float*)p + index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(void* p, nint index) => ((float*)p)[index];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store8(Vector256<float> values, void* p, nint index) => values.Store((float*)p + index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store1(float value, void* p, nint index) => ((float*)p)[index] = value;
    }

    private readonly struct BFloat16Channels : IChannelFormat
    {
        // A bfloat16 is the high half of the float32 with the same bits: widening is a 16-bit shift, exact.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load8(void* p, nint index) =>
            Vector256.ShiftLeft(Vector256.WidenLower(Vector128.Load((ushort*)p + index).ToVector256Unsafe()), 16).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(void* p, nint index) => BitConverter.Int32BitsToSingle(((ushort*)p)[index] << 16);

        // Rounding to nearest, ties to even, as libtorch's vectorised cast rounds: add 0x7FFF plus the
        // lowest kept bit, keep the high half. Every NaN becomes 0xFFFF, as there.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store8(Vector256<float> values, void* p, nint index)
        {
            var bits = values.AsUInt32();
            var high = Vector256.ShiftRightLogical(bits, 16);
            var rounded = Vector256.ShiftRightLogical(bits + Vector256.Create(0x7FFFu) + (high & Vector256<uint>.One), 16);
            rounded = Vector256.ConditionalSelect(Vector256.Equals(values, values).AsUInt32(), rounded, Vector256.Create(0xFFFFu));
            Vector256.Narrow(rounded, rounded).GetLower().Store((ushort*)p + index);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store1(float value, void* p, nint index)
        {
            uint bits = BitConverter.SingleToUInt32Bits(value);
            ((ushort*)p)[index] = (ushort)(float.IsNaN(value) ? 0xFFFFu : (bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
        }
    }

    /// <summary>Rows a worker takes at a time: few enough hand-offs, and a late or slowed worker leaves little undone.</summary>
    private const int RowsPerChunk = 4;

    /// <summary>
    /// Runs the rows on as many threads as libtorch's, each taking the next free chunk of rows
    /// rather than a fixed share. Right after a libtorch op, libtorch's OpenMP threads busy-wait
    /// for more work and one of them may share a core with a worker here: with fixed halves that
    /// worker finished last and the conv took twice as long inside a forward as on its own.
    /// </summary>
    private static void ForEachRow(int rows, Action<int> body)
    {
        int chunks = (rows + RowsPerChunk - 1) / RowsPerChunk;
        int workers = Math.Clamp(torch.get_num_threads(), 1, Math.Max(1, chunks));
        if (workers == 1)
        {
            for (int row = 0; row < rows; row++) body(row);
            return;
        }
        var next = new StrongBox<int>(-1);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref next.Value)) < chunks)
            {
                int end = Math.Min(rows, (chunk + 1) * RowsPerChunk);
                for (int row = chunk * RowsPerChunk; row < end; row++) body(row);
            }
        });
    }

    /// <summary>[C, 9] weights as [9, Cp]: one row of channels per tap, zero past C.</summary>
    private static Tensor Taps(Tensor byChannel, int c, int cp)
    {
        var taps = zeros(9, cp);
        taps.narrow(1, 0, c).copy_(byChannel.t());
        return taps;
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape);

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
