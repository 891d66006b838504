using Vdsr.Core.Imaging;

namespace Vdsr.Core.Data;

/// <summary>
/// Cuts VDSR training pairs out of one uint8 RGB image exactly as data/generate_train.m does:
/// for flip (rows reversed, columns reversed, none) x rotation (0, 90, 180, 270 counter-clockwise)
/// x scale x downsize: uint8 bicubic downsize, uint8 rgb2ycbcr luma, /255, modcrop(scale), input =
/// imresize(imresize(label, 1/scale), [h w]) in double; patches at stride steps, rows outer.
/// </summary>
public sealed class PatchGenerator
{
    private static readonly ImageOrientation.Flip[] AllFlips = [ImageOrientation.Flip.Rows, ImageOrientation.Flip.Columns, ImageOrientation.Flip.None];
    private static readonly ImageOrientation.Flip[] NoFlip = [ImageOrientation.Flip.None];

    public PatchGenerationOptions Options { get; }

    public PatchGenerator(PatchGenerationOptions? options = null)
    {
        Options = options ?? PatchGenerationOptions.Original;
        Options.Validate();
    }

    /// <summary>generate_train.m uses only images with three planes; gray and indexed ones are skipped.</summary>
    public static bool IsUsable(ImageBuffer<byte> image) => image.Channels == 3;

    /// <summary>The pairs of one RGB image in the original's loop order.</summary>
    public IEnumerable<PatchPair> Generate(ImageBuffer<byte> rgb)
    {
        int p = Options.PatchSize;
        var pairs = new List<PatchPair>();
        ForEachPatch(rgb, (input, label, top, left) =>
            pairs.Add(new PatchPair(CopyPatch(input, top, left, p), CopyPatch(label, top, left, p), p)));
        return pairs;
    }

    /// <summary>How many pairs <see cref="Generate"/> yields for an RGB image of this size, without computing them.</summary>
    public long CountPatches(int height, int width)
    {
        long total = 0;
        int orientations = Options.Augment ? AllFlips.Length : 1;
        for (int o = 0; o < orientations; o++)
            for (int quarter = 0; quarter < RotationCount; quarter++)
            {
                bool swap = quarter % 2 == 1;
                int h = swap ? width : height, w = swap ? height : width;
                foreach (int scale in Options.Scales)
                    foreach (double downsize in Options.Downsizes)
                    {
                        int dh = ResizedLength(h, downsize), dw = ResizedLength(w, downsize);
                        total += (long)PositionCount(dh - dh % scale) * PositionCount(dw - dw % scale);
                    }
            }
        return total;
    }

    private int RotationCount => Options.Augment ? 4 : 1;

    /// <summary>
    /// Calls <paramref name="onPatch"/>(input, label, top, left) for every patch position of every
    /// variant, in the original's order; input and label are the whole variant images (one channel).
    /// </summary>
    internal void ForEachPatch(ImageBuffer<byte> rgb, Action<ImageBuffer<double>, ImageBuffer<double>, int, int> onPatch)
    {
        if (!IsUsable(rgb))
            throw new ArgumentException($"expected an RGB image, got {rgb.Channels} channel(s)", nameof(rgb));
        int p = Options.PatchSize, stride = Options.Stride;
        foreach (var flip in Options.Augment ? AllFlips : NoFlip)
        {
            var flipped = ImageOrientation.Apply(rgb, flip);
            for (int quarter = 0; quarter < RotationCount; quarter++)
            {
                var oriented = ImageOrientation.RotateCounterClockwise(flipped, quarter);
                foreach (int scale in Options.Scales)
                    foreach (double downsize in Options.Downsizes)
                    {
                        // imresize by 1 is the identity (the cubic kernel is 1 at 0 and 0 at the other taps).
                        var resized = downsize == 1.0 ? oriented : MatlabResize.Resize(oriented, downsize);
                        var y = ColorSpace.Luma(resized);
                        var label = ModCrop.Apply(ToUnitDouble(y), scale);
                        int h = label.Height, w = label.Width;
                        if (PositionCount(h) == 0 || PositionCount(w) == 0) continue;
                        var input = MatlabResize.Resize(MatlabResize.Resize(label, 1.0 / scale), h, w);
                        for (int top = 0; top + p <= h; top += stride)
                            for (int left = 0; left + p <= w; left += stride)
                                onPatch(input, label, top, left);
                    }
            }
        }
    }

    /// <summary>MATLAB imresize output length: ceil(scale * n).</summary>
    private static int ResizedLength(int n, double scale) => (int)Math.Ceiling(scale * n);

    private int PositionCount(int length) =>
        length < Options.PatchSize ? 0 : (length - Options.PatchSize) / Options.Stride + 1;

    /// <summary>im2double of a uint8 plane.</summary>
    private static ImageBuffer<double> ToUnitDouble(ImageBuffer<byte> plane)
    {
        var result = new ImageBuffer<double>(plane.Height, plane.Width, 1);
        for (int i = 0; i < plane.Data.Length; i++)
            result.Data[i] = plane.Data[i] / 255.0;
        return result;
    }

    private static double[] CopyPatch(ImageBuffer<double> plane, int top, int left, int size)
    {
        var patch = new double[size * size];
        for (int r = 0; r < size; r++)
            Array.Copy(plane.Data, (top + r) * plane.Width + left, patch, r * size, size);
        return patch;
    }
}
