using Vdsr.Core.Imaging;
using Vdsr.Core.Tests.BadInput;
using Xunit.Abstractions;

namespace Vdsr.Core.Tests.Fuzzing;

/// <summary>
/// Mutants of 24x24 pictures through <see cref="ImageFile.Load"/>. The pixel limit is 4 MP, so a
/// read may allocate 16 MB of RGBA plus its planes (within the 64 MB base); Skia's native memory is
/// bounded by the resident-peak limit. Runs alone so that the resident peak is this read's own.
/// </summary>
[Collection(MemoryMeasuringCollection.Name)]
[Trait("Category", "Slow")] // fuzzing, killed processes, convergence: skip locally with --filter "Category!=Slow"
public sealed class ImageFuzzTests(ITestOutputHelper output)
{
    private const long MaxPixels = 4_000_000;

    private static readonly FuzzLimits Limits = new() { MaxResidentGrowth = 128L << 20 };

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    [InlineData(".bmp")]
    [InlineData(".gif")]
    [InlineData(".webp")]
    public void MutatedImagesLoadOrAreRefused(string extension)
    {
        var original = File.ReadAllBytes(TestPaths.Fixture("fuzz", "tiny" + extension));
        new FuzzRunner(output, Limits).Run(extension.TrimStart('.'), original, extension, path => ImageFile.Load(path, MaxPixels),
            repair: extension == ".png" ? PngChunks.WithCrcsFixed : null);
    }
}
