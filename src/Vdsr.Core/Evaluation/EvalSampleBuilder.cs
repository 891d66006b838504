using Vdsr.Core.Imaging;

namespace Vdsr.Core.Evaluation;

/// <summary>Builds evaluation inputs from a ground-truth RGB image, in double precision throughout.</summary>
public static class EvalSampleBuilder
{
    /// <summary>
    /// One sample per scale, in the given order. With cumulative, each scale crops the previous
    /// scale's crop, as the original script does (butterfly x2, x3, x4: 256 -> 256 -> 255 -> 252);
    /// otherwise each scale crops the original image.
    /// </summary>
    public static IReadOnlyList<EvalSample> FromGroundTruth(string name, ImageBuffer<byte> groundTruthRgb,
        IReadOnlyList<int> scales, bool cumulative)
    {
        if (groundTruthRgb.Channels != 3)
            throw new ArgumentException($"expected an RGB image, got {groundTruthRgb.Channels} channels", nameof(groundTruthRgb));
        var samples = new List<EvalSample>(scales.Count);
        var current = groundTruthRgb;
        foreach (int scale in scales)
        {
            if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scales), $"scale must be at least 1, got {scale}");
            var cropped = ModCrop.Apply(cumulative ? current : groundTruthRgb, scale);
            if (cropped.Height == 0 || cropped.Width == 0)
                throw new ArgumentException($"{name}: a {groundTruthRgb.Height}x{groundTruthRgb.Width} image is smaller than the scale {scale}");
            samples.Add(Build(name, scale, cropped));
            current = cropped;
        }
        return samples;
    }

    private static EvalSample Build(string name, int scale, ImageBuffer<byte> groundTruth)
    {
        // imresize treats the planes independently, so resizing Y alone gives generate_test_mat.m's im_b_y.
        var y = ColorSpace.Luma(ColorSpace.ToUnitRange(groundTruth));
        var bicubicY = MatlabResize.Resize(MatlabResize.Resize(y, 1.0 / scale), (double)scale);
        return new EvalSample(name, scale, groundTruth, ColorSpace.Times255(y), ColorSpace.Times255(bicubicY));
    }
}
