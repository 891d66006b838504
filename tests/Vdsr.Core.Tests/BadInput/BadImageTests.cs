using System.Buffers.Binary;
using System.Text;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>Image files that must be refused in one line naming the file, or read within bounded memory.</summary>
[Collection(MemoryMeasuringCollection.Name)]
public sealed class BadImageTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Tiny(string extension) => File.ReadAllBytes(TestPaths.Fixture("fuzz", "tiny" + extension));

    private string Write(string name, byte[] bytes)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void EmptyFileIsRefused()
    {
        string path = Write("empty.png", []);
        UserErrorAssert.Refuses(path, () => ImageFile.Load(path), "the file is empty");
        UserErrorAssert.Refuses(path, () => ImageFile.Identify(path), "the file is empty");
    }

    public static TheoryData<string, string> Truncations()
    {
        var cases = new TheoryData<string, string>();
        foreach (var extension in new[] { ".png", ".jpg", ".bmp", ".gif", ".webp" })
            foreach (var cut in new[] { "header", "middle", "near end" })
                cases.Add(extension, cut);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Truncations))]
    public void TruncatedFileIsRefused(string extension, string cut)
    {
        var whole = Tiny(extension);
        // "near end" drops the trailer (PNG's IEND is 12 bytes, JPEG's EOI 2, GIF's 1) and the last pixel data.
        int length = cut switch { "header" => 10, "middle" => whole.Length / 2, _ => whole.Length - 24 };
        string path = Write("cut" + extension, whole[..length]);

        var e = UserErrorAssert.Refuses(path, () => ImageFile.Load(path), "truncated image");
        output.WriteLine(e.Message);
    }

    [Fact]
    public void ContentDecidesNotTheExtension()
    {
        string pngNamedJpg = Write("really-a-png.jpg", Tiny(".png"));
        Assert.Equal(new ImageHeader(24, 24, 3), ImageFile.Load(pngNamedJpg).Header);

        string textNamedPng = Write("notes.png", Encoding.ASCII.GetBytes("these are notes, not a picture\n"));
        UserErrorAssert.Refuses(textNamedPng, () => ImageFile.Load(textNamedPng), "not an image in a supported format");
    }

    [Fact]
    public void HugeHeaderIsRefusedBeforeDecoding()
    {
        byte[] png = [.. PngChunks.Signature, .. PngChunks.Header(100_000, 100_000),
            .. PngChunks.Chunk("IDAT", PngChunks.ZLib(new byte[64])), .. PngChunks.Chunk("IEND", [])];
        string path = Write("huge.png", png);

        long before = GC.GetAllocatedBytesForCurrentThread();
        UserErrorAssert.Refuses(path, () => ImageFile.Load(path), "100000x100000 image has more than the allowed 100000000 pixels");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"allocated {allocated} bytes");
        Assert.True(allocated < 1 << 20, $"refusing the header allocated {allocated} bytes");
    }

    [Fact]
    public void JpegHeaderAboveThePixelLimitIsRefused()
    {
        var jpeg = Tiny(".jpg");
        int sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(sof > 0, "the fixture has a baseline SOF0 marker");
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 60_000); // height
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 60_000); // width
        string path = Write("wide.jpg", jpeg);

        UserErrorAssert.Refuses(path, () => ImageFile.Load(path), "60000x60000 image has more than the allowed");
    }

    [Fact]
    public void PngClaimingMorePixelsThanItsDataCanHoldIsRefusedBeforeAllocating()
    {
        // 9000 x 9000 is under the default limit, but 243 MB of rows cannot come out of a few bytes of zlib.
        byte[] png = [.. PngChunks.Signature, .. PngChunks.Header(9000, 9000),
            .. PngChunks.Chunk("IDAT", PngChunks.ZLib(new byte[64])), .. PngChunks.Chunk("IEND", [])];
        string path = Write("claims.png", png);

        long before = GC.GetAllocatedBytesForCurrentThread();
        UserErrorAssert.Refuses(path, () => ImageFile.Load(path), "truncated image");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"allocated {allocated} bytes");
        Assert.True(allocated < 1 << 20, $"refusing the header allocated {allocated} bytes");
    }

    public static TheoryData<string> BombChunks() => ["iCCP", "zTXt"];

    /// <summary>
    /// An ancillary chunk holding 50 MB of zlib-compressed zeros (about 50 KB in the file): the picture
    /// still loads, and the decoder must not inflate the chunk into memory.
    /// </summary>
    [Theory]
    [MemberData(nameof(BombChunks))]
    public void DecompressionBombInAnAncillaryChunkStaysBounded(string type)
    {
        byte[] body = [.. Encoding.ASCII.GetBytes(type == "iCCP" ? "bomb" : "Comment"), 0, 0, .. PngChunks.ZLibZeros(50_000_000)];
        string path = Write("bomb.png", PngChunks.InsertAfterHeader(Tiny(".png"), PngChunks.Chunk(type, body)));
        ImageFile.Load(Write("warm.png", Tiny(".png"))); // the decoder's own first-use allocations are not the bomb's

        LoadedImage? loaded = null;
        long growth = ProcessMemory.PeakGrowthDuring(() => loaded = ImageFile.Load(path));
        output.WriteLine($"{type}: file {new FileInfo(path).Length} bytes, resident peak grew {growth / 1024} KiB");
        Assert.Equal(new ImageHeader(24, 24, 3), loaded!.Header);
        Assert.True(growth < MaxBombGrowth, $"loading a {type} bomb grew the resident size by {growth} bytes");
    }

    /// <summary>Far below the 50 MB the chunks inflate to, well above what a 24x24 decode needs.</summary>
    private const long MaxBombGrowth = 16 << 20;

    [Fact]
    public void BmpWhosePixelsStartFarBeyondTheFileIsRefused()
    {
        // Found by the fuzz test: Skia asked its managed input stream to skip 4 GB, the stream threw
        // inside a native callback, and that ended the process.
        var bmp = Tiny(".bmp");
        BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(10), 0xFFFFFFFF);
        string path = Write("far.bmp", bmp);

        UserErrorAssert.Refuses(path, () => ImageFile.Load(path), "corrupt or unsupported image");
    }

    [Fact]
    public void AnimatedGifIsRefused()
    {
        string path = TestPaths.Fixture("fuzz", "animated.gif");
        UserErrorAssert.Refuses(path, () => ImageFile.Load(path), "animated GIF with 2 frames");
        UserErrorAssert.Refuses(path, () => ImageFile.Identify(path), "animated GIF with 2 frames");
    }

    [Fact]
    public void SingleFrameGifLoads() => Assert.Equal(new ImageHeader(24, 24, 1), ImageFile.Load(TestPaths.Fixture("fuzz", "tiny.gif")).Header);
}
