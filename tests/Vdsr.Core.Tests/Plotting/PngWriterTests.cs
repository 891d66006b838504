using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vdsr.Core.Imaging;
using Vdsr.Core.Plotting;

namespace Vdsr.Core.Tests.Plotting;

public class PngWriterTests
{
    private static ImageBuffer<byte> Noise(int height, int width, int channels, int seed)
    {
        var image = new ImageBuffer<byte>(height, width, channels);
        new Random(seed).NextBytes(image.Data);
        return image;
    }

    [Fact]
    public void SavedRgbPngDecodesToTheSamePixels()
    {
        using var folder = new CanvasInspection.TempFolder();
        string path = Path.Combine(folder.Path, "rgb.png");
        var image = Noise(17, 23, 3, 1);
        PngWriter.Save(image, path);

        using var decoded = Image.Load<Rgb24>(path);
        Assert.Equal((23, 17), (decoded.Width, decoded.Height));
        var bytes = new byte[image.Data.Length];
        decoded.CopyPixelDataTo(bytes);
        Assert.Equal(image.Data, bytes);
    }

    [Fact]
    public void SavedGrayPngDecodesToTheSamePixels()
    {
        using var folder = new CanvasInspection.TempFolder();
        string path = Path.Combine(folder.Path, "gray.png");
        var image = Noise(9, 31, 1, 2);
        PngWriter.Save(image, path);

        using var decoded = Image.Load<L8>(path);
        var bytes = new byte[image.Data.Length];
        decoded.CopyPixelDataTo(bytes);
        Assert.Equal(image.Data, bytes);
    }

    [Fact]
    public void SaveReplacesTheFileByRenameAndLeavesNoTemporaryFile()
    {
        using var folder = new CanvasInspection.TempFolder();
        string path = Path.Combine(folder.Path, "chart.png");
        PngWriter.Save(Noise(8, 8, 3, 3), path);
        byte[] before = File.ReadAllBytes(path);

        // A reader that opened the old file keeps seeing all of it: the new picture arrives as a
        // different file renamed over the name, not by rewriting the old one in place.
        using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            PngWriter.Save(Noise(40, 40, 3, 4), path);
            var seen = new byte[before.Length + 1];
            int n = reader.Read(seen, 0, seen.Length);
            Assert.Equal(before, seen[..n]);
        }
        Assert.NotEqual(before, File.ReadAllBytes(path));
        Assert.Equal(["chart.png"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void FailedSaveKeepsNothingAndReportsThePath()
    {
        using var folder = new CanvasInspection.TempFolder();
        string missing = Path.Combine(folder.Path, "no-such-folder", "x.png");
        var error = Assert.Throws<VdsrUserException>(() => PngWriter.Save(Noise(4, 4, 3, 5), missing));
        Assert.Contains(missing, error.Message);
        Assert.DoesNotContain('\n', error.Message);

        string blocked = Path.Combine(folder.Path, "taken.png");
        Directory.CreateDirectory(blocked); // a folder where the file should go: the rename fails
        error = Assert.Throws<VdsrUserException>(() => PngWriter.Save(Noise(4, 4, 3, 6), blocked));
        Assert.Contains(blocked, error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
