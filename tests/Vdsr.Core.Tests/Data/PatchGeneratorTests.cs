using Vdsr.Core.Data;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Tests.Data;

public class PatchGeneratorTests
{
    [Fact]
    public void CountPatchesFromSizeMatchesOracleCounts()
    {
        var oracle = OracleFixture.Load();
        var generator = new PatchGenerator();
        var counts = OracleFixture.ImageNames
            .Select(n => ImageFile.Identify(Path.Combine(OracleFixture.ImageFolder, n)))
            .Select(i => generator.CountPatches(i.Height, i.Width));
        Assert.Equal(new long[] { 72, 228, 252 }, counts);
        Assert.Equal(oracle.ImagePatchCounts.Select(c => (long)c), counts);
    }

    [Fact]
    public void CountPatchesByHand()
    {
        // 100x60, no augmentation, scale 3, downsizes 1 and 0.5, 20x20 patches at stride 15:
        // downsize 1: modcrop -> 99x60 -> 6 x 3 positions; downsize 0.5: 50x30 -> modcrop 48x30 -> 2 x 1.
        var generator = new PatchGenerator(new PatchGenerationOptions { PatchSize = 20, Stride = 15, Scales = [3], Downsizes = [1, 0.5], Augment = false });
        Assert.Equal(6 * 3 + 2 * 1, generator.CountPatches(100, 60));
        // With augmentation the odd rotations swap height and width: 3 flips x (2 x 20 + 2 x 18).
        var augmented = new PatchGenerator(new PatchGenerationOptions { PatchSize = 20, Stride = 15, Scales = [3], Downsizes = [1, 0.5] });
        // 60x100 (rotated): downsize 1: 60x99 -> 3 x 6; 0.5: 30x50 -> 30x48 -> 1 x 2: also 20.
        Assert.Equal(3 * 4 * 20, augmented.CountPatches(100, 60));
    }

    [Fact]
    public void RotationsAndFlipsFollowMatlab()
    {
        // [1 2 3; 4 5 6]: rot90 (counter-clockwise) -> [3 6; 2 5; 1 4]; flipdim(.,1) -> [4 5 6; 1 2 3].
        var image = new ImageBuffer<byte>(2, 3, 1, [1, 2, 3, 4, 5, 6]);
        Assert.Equal(new byte[] { 3, 6, 2, 5, 1, 4 }, ImageOrientation.RotateCounterClockwise(image, 1).Data);
        Assert.Equal(new byte[] { 6, 5, 4, 3, 2, 1 }, ImageOrientation.RotateCounterClockwise(image, 2).Data);
        Assert.Equal(new byte[] { 4, 1, 5, 2, 6, 3 }, ImageOrientation.RotateCounterClockwise(image, 3).Data);
        Assert.Equal(new byte[] { 4, 5, 6, 1, 2, 3 }, ImageOrientation.Apply(image, ImageOrientation.Flip.Rows).Data);
        Assert.Equal(new byte[] { 3, 2, 1, 6, 5, 4 }, ImageOrientation.Apply(image, ImageOrientation.Flip.Columns).Data);
    }

    [Fact]
    public void GrayImagesAreNotUsable() =>
        Assert.False(PatchGenerator.IsUsable(new ImageBuffer<byte>(50, 50, 1)));

    [Fact]
    public void PatchesEqualOracleInGenerationOrder()
    {
        var oracle = OracleFixture.Load();
        var generator = new PatchGenerator();
        var patches = OracleFixture.ImageNames
            .SelectMany(n => generator.Generate(ImageFile.Load(Path.Combine(OracleFixture.ImageFolder, n)).Rgb))
            .ToList();
        Assert.Equal(oracle.Count, patches.Count);
        for (int n = 0; n < patches.Count; n++)
        {
            var pair = patches[n];
            double labelError = 0, inputError = 0;
            for (int r = 0; r < 41; r++)
                for (int c = 0; c < 41; c++)
                {
                    labelError = Math.Max(labelError, Math.Abs(pair.Label[r * 41 + c] - oracle.Label(n, r, c)));
                    if (oracle.HasFullInput(n))
                        inputError = Math.Max(inputError, Math.Abs(pair.Input[r * 41 + c] - oracle.Input(n, r, c)));
                }
            Assert.True(labelError <= 1e-12, $"patch {n}: label differs by {labelError}");
            Assert.True(inputError <= 1e-6, $"patch {n}: input differs by {inputError}");
            // The double checksums pin down the patches that are not stored in full, far below 1e-6 per pixel.
            var (sum, weighted) = OracleFixture.Checksum((r, c) => pair.Input[r * 41 + c]);
            var expected = oracle.InputChecksum(n);
            Assert.True(Math.Abs(sum - expected.Sum) <= 1e-9 && Math.Abs(weighted - expected.Weighted) <= 1e-8,
                $"patch {n}: input checksums {sum}, {weighted} vs {expected}");
        }
    }

    [Fact]
    public void CustomOptionsCountMatchesGeneration()
    {
        var options = new PatchGenerationOptions { PatchSize = 21, Stride = 17, Scales = [2, 4], Downsizes = [1, 0.6], Augment = false };
        var generator = new PatchGenerator(options);
        var image = ImageFile.Load(Path.Combine(OracleFixture.ImageFolder, "t24.bmp")).Rgb;
        var patches = generator.Generate(image).ToList();
        Assert.Equal(generator.CountPatches(image.Height, image.Width), patches.Count);
        Assert.All(patches, p => Assert.Equal(21 * 21, p.Input.Length));
    }
}
