namespace Vdsr.Core.Pruning;

/// <summary>A small SR network as its paper reports it: parameters and Set5 PSNR (dB) at x2, x3 and x4.</summary>
public sealed record PublishedSrModel(string Name, long Parameters, double Set5X2, double Set5X3, double Set5X4);

/// <summary>
/// Published reference points for the pruning Pareto chart. They are the papers' figures, not
/// measured here; their FLOPs per pixel are not 2 x parameters in general (FSRCNN and CARN-M run at
/// the low resolution, DRRN reuses its weights 25 times), so the chart places them by parameters.
/// </summary>
public static class PublishedSrModels
{
    public static IReadOnlyList<PublishedSrModel> All { get; } =
    [
        new("FSRCNN", 12_000, 37.00, 33.16, 30.71),
        new("SRCNN", 57_000, 36.66, 32.75, 30.48),
        new("DRRN", 297_000, 37.74, 34.03, 31.68),
        new("CARN-M", 412_000, 37.53, 33.99, 31.92),
        new("VDSR (paper)", 665_000, 37.53, 33.66, 31.35),
    ];
}
