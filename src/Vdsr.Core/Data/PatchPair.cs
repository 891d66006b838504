namespace Vdsr.Core.Data;

/// <summary>
/// One training pair in MATLAB orientation: PatchSize x PatchSize doubles, row-major (row, col),
/// values in [0, 1] (Y / 255). Input is the bicubic down-and-up version of Label.
/// </summary>
public sealed record PatchPair(double[] Input, double[] Label, int PatchSize);
