namespace Vdsr.Core.IO;

/// <summary>What deflate (zip, zlib, PNG, HDF5's gzip filter) can and cannot do, for bounds on claimed sizes.</summary>
public static class Deflate
{
    /// <summary>
    /// The largest expansion: a 258-byte match coded in 2 bits, 1032:1. Data that claims to inflate to
    /// more than this times its compressed bytes is lying, and is refused before anything is sized by it.
    /// </summary>
    public const int MaxExpansion = 1032;
}
