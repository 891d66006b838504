namespace Vdsr.Core.IO;

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
}
