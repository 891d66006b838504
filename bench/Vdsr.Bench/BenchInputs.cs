using System.Globalization;
using System.Text;
using Vdsr.Core.Evaluation;
using Vdsr.Core.Imaging;

namespace Vdsr.Bench;

/// <summary>
/// Inputs that the PyTorch side of bench/run.sh needs and cannot make itself without MATLAB's
/// bicubic: the Set5 evaluation pairs as .npy files, and a 1920x1080 photo for the 4K upscale.
/// </summary>
internal static class BenchInputs
{
    /// <summary>
    /// Writes &lt;name&gt;_x&lt;s&gt;_gt.npy and _b.npy (float64 Y in 0..255, what eval.py reads from its .mat
    /// files as im_gt_y and im_b_y) for every image and scale of <paramref name="set5Folder"/>,
    /// with the cumulative crop of the original's .mat files.
    /// </summary>
    public static void ExportSet5(string set5Folder, string outFolder)
    {
        Directory.CreateDirectory(outFolder);
        var dataset = new EvalDataset(set5Folder, [2, 3, 4], cumulativeModCrop: true);
        int count = 0;
        foreach (var sample in dataset.Samples())
        {
            string stem = Path.Combine(outFolder, $"{sample.Name}_x{sample.Scale}");
            WriteNpy(stem + "_gt.npy", sample.GroundTruthY);
            WriteNpy(stem + "_b.npy", sample.BicubicY);
            count++;
        }
        Console.WriteLine($"exported {count} Set5 pairs to {outFolder}");
    }

    /// <summary>
    /// A width x height photo: the largest Set5 image (baby, 512x512) enlarged bicubically to cover
    /// it, centre-cropped. Its content does not change the run time, only its size does.
    /// </summary>
    public static void MakePhoto(string set5Folder, string path, int width, int height)
    {
        var baby = ImageFile.Load(Path.Combine(set5Folder, "baby_GT.bmp")).Rgb;
        int side = Math.Max(width, height);
        var large = MatlabResize.Resize(baby, side, side);
        var photo = large.Crop((side - height) / 2, (side - width) / 2, height, width);
        ImageFile.Save(path, photo);
        Console.WriteLine($"wrote {path} ({width}x{height})");
    }

    private static void WriteNpy(string path, ImageBuffer<double> image)
    {
        string header = string.Create(CultureInfo.InvariantCulture,
            $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({image.Height}, {image.Width}), }}");
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        foreach (double v in image.Data) stream.Write(BitConverter.GetBytes(v));
    }
}
