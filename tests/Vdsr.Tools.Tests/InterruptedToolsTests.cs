using System.Globalization;
using Vdsr.Core.Imaging;
using Xunit.Abstractions;

namespace Vdsr.Tools.Tests;

/// <summary>
/// vdsr-prepare and a vdsr-demo folder run killed with SIGKILL at random moments: never a partial file
/// under a final name, a complete earlier output untouched, and a rerun that ends as an uninterrupted
/// run did, with the killed runs' temporary files gone.
/// </summary>
[Trait("Category", "Slow")] // fuzzing, killed processes, convergence: skip locally with --filter "Category!=Slow"
public sealed class InterruptedToolsTests(ITestOutputHelper output)
{
    [Fact]
    public void KilledPrepareLeavesNoHalfFileAndARerunStartsClean()
    {
        using var temp = new TempFolder();
        string images = temp.File("images");
        Directory.CreateDirectory(images);
        foreach (var name in new[] { "butterfly_GT.bmp", "bird_GT.bmp" })
            File.Copy(Tool.InRepo(Path.Combine("Set5", name)), Path.Combine(images, name));
        string[] Args(string path) => ["--input", images, "--output", path, "--threads", "1"];

        string reference = temp.File("reference.h5");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var straight = Tool.Run("prepare", Args(reference));
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.True(straight.ExitCode == 0, straight.Stderr);
        byte[] expected = File.ReadAllBytes(reference);

        string outputFolder = temp.File("out");
        Directory.CreateDirectory(outputFolder);
        string path = Path.Combine(outputFolder, "train.h5");
        var random = new Random(7);
        for (int kill = 1; kill <= 6; kill++)
        {
            bool hadOutput = File.Exists(path);
            double delay = seconds * (0.15 + 0.8 * random.NextDouble());
            bool finished;
            using (var run = new RunningTool("prepare", Args(path)))
            {
                Thread.Sleep(TimeSpan.FromSeconds(delay));
                finished = run.HasExited;
                run.Kill();
            }
            if (File.Exists(path))
                Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(expected), $"kill {kill}: {path} is not a complete training set");
            else
                Assert.False(hadOutput, $"kill {kill} removed the earlier complete {path}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kill {kill} after {delay:F2} s{(finished ? " (had finished)" : "")}: {(File.Exists(path) ? "complete file" : "no file")}, {Leftovers(outputFolder)} temporary entries"));
            if (kill == 3) // from here on, a complete earlier output must survive the kills
            {
                var done = Tool.Run("prepare", Args(path));
                Assert.True(done.ExitCode == 0, done.Stderr);
            }
        }

        var rerun = Tool.Run("prepare", Args(path));
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(expected));
        Assert.Equal(["train.h5"], Directory.GetFileSystemEntries(outputFolder).Select(Path.GetFileName));
    }

    [Fact]
    public void KilledDemoFolderRunLeavesOnlyCompleteImages()
    {
        using var temp = new TempFolder();
        string images = temp.File("images");
        Directory.CreateDirectory(images);
        for (int i = 0; i < 24; i++) TestImages.WriteRgb(Path.Combine(images, $"img{i:D2}.png"), 64 + i, 48);
        string[] Args(string folder) => ["--image", images, "--scale", "2", "--output", folder, "--compare"];

        string referenceFolder = temp.File("reference");
        var straight = Tool.Run("demo", Args(referenceFolder));
        Assert.True(straight.ExitCode == 0, straight.Stderr);
        var expected = Directory.GetFiles(referenceFolder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Assert.Equal(48, expected.Count);

        var random = new Random(11);
        string outputFolder = "";
        for (int kill = 1; kill <= 4; kill++)
        {
            outputFolder = temp.File($"out{kill}");
            Directory.CreateDirectory(outputFolder);
            int writes = random.Next(1, 46); // killed once this many images are in place, inside the next one or the write after it
            using (var run = new RunningTool("demo", Args(outputFolder)))
                KillOnceWritten(run, outputFolder, writes);
            var written = Directory.Exists(outputFolder) ? Directory.GetFiles(outputFolder, "*.png") : [];
            foreach (var file in written)
            {
                Assert.True(expected.TryGetValue(Path.GetFileName(file), out var bytes), $"unexpected {file}");
                Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(bytes), $"kill {kill}: {file} is not the complete image");
                ImageFile.Load(file);
            }
            output.WriteLine($"kill {kill} after {writes} writes: {written.Length} of 48 images in place, all complete; {Leftovers(outputFolder)} temporary file left");
            Assert.InRange(written.Length, writes, 47);
        }

        var rerun = Tool.Run("demo", Args(outputFolder));
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(outputFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in expected)
            Assert.True(File.ReadAllBytes(Path.Combine(outputFolder, name)).AsSpan().SequenceEqual(bytes), $"{name} differs from the uninterrupted run");
    }

    private static void KillOnceWritten(RunningTool run, string folder, int images)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (Directory.GetFiles(folder, "*.png").Length < images && !run.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(1);
        Assert.False(run.HasExited, $"the run ended before {images} images were written");
        run.Kill();
    }

    private static int Leftovers(string folder) =>
        Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder, ".*").Length : 0;
}
