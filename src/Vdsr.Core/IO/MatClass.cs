namespace Vdsr.Core.IO;

/// <summary>The MATLAB array classes the .mat reader returns (mxCLASS codes of the MAT-file format).</summary>
public enum MatClass
{
    Double = 6,
    Single = 7,
    Int8 = 8,
    UInt8 = 9,
    Int16 = 10,
    UInt16 = 11,
    Int32 = 12,
    UInt32 = 13,
    Int64 = 14,
    UInt64 = 15,
}
