using System.Text.RegularExpressions;
using Vdsr.Core.IO;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Evaluation;

/// <summary>
/// An evaluation set: either a folder of `&lt;name&gt;_x&lt;s&gt;.mat` files like the original's
/// Set5_mat (eval.py's inputs), or a folder of high-resolution images (<see cref="ImageFormats"/>) from which the
/// bicubic inputs are made in memory with the MATLAB pipeline. In an image folder, files named
/// `*_scale_&lt;s&gt;.*` (demo.py's bicubic inputs, as in Set5/) are not ground truths and are skipped.
/// </summary>
public sealed partial class EvalDataset
{
    private readonly List<(string Path, int Scale)> _matFiles = new();
    private readonly List<string> _images = new();
    private readonly bool _cumulative;
    private readonly long _maxPixels;

    public string Folder { get; }
    public IReadOnlyList<int> Scales { get; }
    public bool IsMatFolder => _matFiles.Count > 0;

    /// <summary>Number of input files: .mat files, or images (each evaluated at every scale).</summary>
    public int InputCount => IsMatFolder ? _matFiles.Count : _images.Count;

    /// <summary>Number of (image, scale) pairs the dataset yields.</summary>
    public int Count => IsMatFolder ? _matFiles.Count : _images.Count * Scales.Count;

    /// <param name="cumulativeModCrop">
    /// For image folders: crop x3 from the x2 crop and x4 from the x3 crop, as generate_test_mat.m
    /// does, which the published Set5 numbers depend on (only with scales 2,3,4 in that order).
    /// </param>
    public EvalDataset(string folder, IReadOnlyList<int> scales, bool cumulativeModCrop = false, long maxPixels = ImageFile.DefaultMaxPixels)
    {
        if (scales.Count == 0) throw new VdsrUserException("no scale to evaluate");
        foreach (int scale in scales) UpscaleFactor.Check(scale);
        if (!Directory.Exists(folder)) throw new VdsrUserException($"{folder}: dataset folder not found");
        Folder = folder;
        Scales = scales;
        _cumulative = cumulativeModCrop;
        _maxPixels = maxPixels;

        foreach (var path in Directory.EnumerateFiles(folder, "*.mat").Order(StringComparer.Ordinal))
        {
            var match = MatName().Match(Path.GetFileName(path));
            if (match.Success && scales.Contains(int.Parse(match.Groups[2].Value)))
                _matFiles.Add((path, int.Parse(match.Groups[2].Value)));
        }
        var scaleOrder = scales.Distinct().Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        _matFiles.Sort((a, b) => a.Scale != b.Scale ? scaleOrder[a.Scale].CompareTo(scaleOrder[b.Scale]) : string.CompareOrdinal(a.Path, b.Path));
        if (_matFiles.Count == 0)
        {
            _images.AddRange(ImageFormats.ImagesIn(folder).Where(p => !BicubicInputName().IsMatch(Path.GetFileNameWithoutExtension(p))));
        }
        if (Count == 0)
            throw new VdsrUserException($"{folder}: no evaluation inputs (expected <name>_x<scale>.mat files for scale {string.Join(",", scales)}, or images: {ImageFormats.Description})");
    }

    /// <summary>
    /// Drops the images whose header cannot be read or whose size does not suit the scales, telling
    /// <paramref name="onSkipped"/>: a check of headers only, made before any network is loaded. When
    /// no image is left, the run fails.
    /// </summary>
    public void ScreenImages(Action<string, VdsrUserException> onSkipped)
    {
        int before = _images.Count;
        _images.RemoveAll(path =>
        {
            try
            {
                var header = ImageFile.Identify(path, _maxPixels);
                CheckSize(path, header.Height, header.Width);
                return false;
            }
            catch (VdsrUserException e)
            {
                onSkipped(path, e);
                return true;
            }
        });
        if (Count == 0) throw new VdsrUserException($"{Folder}: none of its {before} images can be read");
    }

    /// <summary>
    /// The samples, loaded one image at a time. An input that cannot be read ends the run, or with
    /// <paramref name="onSkipped"/> is reported to it and skipped.
    /// </summary>
    public IEnumerable<EvalSample> Samples(Action<string, VdsrUserException>? onSkipped = null)
    {
        if (IsMatFolder)
        {
            foreach (var (path, scale) in _matFiles)
                if (Read(path, () => [ReadMat(path, scale)], onSkipped) is { } samples)
                    yield return samples[0];
            yield break;
        }
        foreach (var path in _images)
        {
            var samples = Read(path, () => FromImage(path), onSkipped);
            if (samples is null) continue;
            foreach (var sample in samples) yield return sample;
        }
    }

    private static IReadOnlyList<EvalSample>? Read(string path, Func<IReadOnlyList<EvalSample>> read, Action<string, VdsrUserException>? onSkipped)
    {
        try
        {
            return read();
        }
        catch (VdsrUserException e) when (onSkipped is not null)
        {
            onSkipped(path, e);
            return null;
        }
    }

    private IReadOnlyList<EvalSample> FromImage(string path)
    {
        var image = ImageFile.Load(path, _maxPixels);
        CheckSize(path, image.Rgb.Height, image.Rgb.Width);
        return EvalSampleBuilder.FromGroundTruth(Path.GetFileNameWithoutExtension(path), image.Rgb, Scales, _cumulative);
    }

    private void CheckSize(string path, int height, int width)
    {
        int largest = Scales.Max();
        if (height < largest || width < largest)
            throw new VdsrUserException($"{path}: a {width}x{height} image is too small for scale {largest}");
    }

    private static EvalSample ReadMat(string path, int scale)
    {
        var variables = MatFile.Read(path);
        var gtY = Require(variables, path, "im_gt_y").ToImageDouble();
        var bY = Require(variables, path, "im_b_y").ToImageDouble();
        if (gtY.Height != bY.Height || gtY.Width != bY.Width || gtY.Channels != 1 || bY.Channels != 1)
            throw new VdsrUserException($"{path}: im_gt_y is {gtY.Height}x{gtY.Width}x{gtY.Channels} but im_b_y is {bY.Height}x{bY.Width}x{bY.Channels}");
        if (gtY.Height <= 2 * scale || gtY.Width <= 2 * scale)
            throw new VdsrUserException($"{path}: a {gtY.Width}x{gtY.Height} image is too small for scale {scale}");
        var gtRgb = variables.TryGetValue("im_gt", out var gt) && gt.Class == MatClass.UInt8 ? gt.ToImageByte() : null;
        string name = MatName().Match(Path.GetFileName(path)).Groups[1].Value;
        return new EvalSample(name, scale, gtRgb, gtY, bY);
    }

    private static MatArray Require(IReadOnlyDictionary<string, MatArray> variables, string path, string name) =>
        variables.TryGetValue(name, out var array) ? array : throw new VdsrUserException($"{path}: no variable '{name}' (expected im_gt_y and im_b_y)");

    [GeneratedRegex(@"^(.+)_x(\d{1,4})\.mat$", RegexOptions.IgnoreCase)] // no scale beyond int: a_x99999999999.mat is not an input
    private static partial Regex MatName();

    [GeneratedRegex(@"_scale_\d+$")]
    private static partial Regex BicubicInputName();
}
