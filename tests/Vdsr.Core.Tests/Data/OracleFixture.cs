using PureHDF;

namespace Vdsr.Core.Tests.Data;

/// <summary>
/// Expected patches of t20.bmp, t24.bmp and t9.bmp (the three smallest T91 images), made once by
/// tests/fixtures/data/make_fixtures.py with the numpy reproduction of pytorch-vdsr's
/// data/generate_train.m. Generation order, MATLAB orientation (row-major [n, row, col]).
/// </summary>
internal sealed class OracleFixture
{
    public const int PatchSize = 41;
    public const int Area = PatchSize * PatchSize;
    public static readonly string[] ImageNames = ["t20.bmp", "t24.bmp", "t9.bmp"];
    public static string ImageFolder => TestPaths.Fixture("data", "images");

    private static readonly Lazy<OracleFixture> Instance = new(() => new OracleFixture());
    public static OracleFixture Load() => Instance.Value;

    public int[] ImagePatchCounts { get; }
    public int Count => ImagePatchCounts.Sum();

    /// <summary>label * 255, exact.</summary>
    private readonly byte[] _labelY;
    /// <summary>Input patches 0, 4, 8, ... as float32.</summary>
    private readonly float[] _inputEvery4;
    /// <summary>Per input patch: sum, and sum weighted by 1 + (r*41 + c) % 7 (float64).</summary>
    private readonly double[] _checksums;

    private OracleFixture()
    {
        using var file = H5File.OpenRead(TestPaths.Fixture("data", "generate_train_3img.h5"));
        ImagePatchCounts = file.Dataset("image_patch_counts").Read<int[]>();
        _labelY = file.Dataset("label_y").Read<byte[]>();
        _inputEvery4 = file.Dataset("input_every4").Read<float[]>();
        _checksums = file.Dataset("input_checksums").Read<double[]>();
    }

    public double Label(int patch, int row, int col) => _labelY[patch * Area + row * PatchSize + col] / 255.0;

    public bool HasFullInput(int patch) => patch % 4 == 0;

    public float Input(int patch, int row, int col) => _inputEvery4[patch / 4 * Area + row * PatchSize + col];

    public (double Sum, double Weighted) InputChecksum(int patch) => (_checksums[2 * patch], _checksums[2 * patch + 1]);

    /// <summary>The same two sums for a patch given as a row-major getter.</summary>
    public static (double Sum, double Weighted) Checksum(Func<int, int, double> value)
    {
        double sum = 0, weighted = 0;
        for (int r = 0; r < PatchSize; r++)
            for (int c = 0; c < PatchSize; c++)
            {
                double v = value(r, c);
                sum += v;
                weighted += v * (1 + (r * PatchSize + c) % 7);
            }
        return (sum, weighted);
    }
}
