using Vdsr.Core.Imaging;

namespace Vdsr.Core.Data;

/// <summary>
/// A real numeric variable of a .mat file. Values are held as doubles in MATLAB's column-major
/// order (64-bit integers beyond 2^53 lose precision); IsLogical marks MATLAB logical arrays.
/// </summary>
public sealed class MatArray
{
    public string Name { get; }
    public MatClass Class { get; }
    public bool IsLogical { get; }
    public IReadOnlyList<int> Dimensions { get; }
    /// <summary>Column-major: element (r, c, p) is at r + rows * (c + cols * p).</summary>
    public double[] Values { get; }
    /// <summary>The file it came from, for error messages.</summary>
    public string SourcePath { get; }

    internal MatArray(string name, MatClass matClass, bool isLogical, int[] dimensions, double[] values, string sourcePath)
    {
        Name = name;
        Class = matClass;
        IsLogical = isLogical;
        Dimensions = dimensions;
        Values = values;
        SourcePath = sourcePath;
    }

    /// <summary>A rows x cols (x planes) array as a row-major HWC image.</summary>
    public ImageBuffer<double> ToImageDouble()
    {
        var (rows, cols, planes) = ImageShape();
        var result = new ImageBuffer<double>(rows, cols, planes);
        for (int p = 0; p < planes; p++)
            for (int c = 0; c < cols; c++)
                for (int r = 0; r < rows; r++)
                    result.Data[(r * cols + c) * planes + p] = Values[r + rows * (c + cols * p)];
        return result;
    }

    /// <summary>A uint8 (or logical) rows x cols (x planes) array as a row-major HWC image.</summary>
    public ImageBuffer<byte> ToImageByte()
    {
        if (Class != MatClass.UInt8)
            throw new VdsrUserException($"{SourcePath}: variable '{Name}' is {Class.ToString().ToLowerInvariant()}, not uint8");
        var image = ToImageDouble();
        var result = new ImageBuffer<byte>(image.Height, image.Width, image.Channels);
        for (int i = 0; i < image.Data.Length; i++) result.Data[i] = (byte)image.Data[i];
        return result;
    }

    private (int Rows, int Cols, int Planes) ImageShape()
    {
        if (Dimensions.Count < 2 || Dimensions.Count > 3)
            throw new VdsrUserException($"{SourcePath}: variable '{Name}' has {Dimensions.Count} dimensions, not an image (2 or 3)");
        return (Dimensions[0], Dimensions[1], Dimensions.Count == 3 ? Dimensions[2] : 1);
    }
}
