namespace Vdsr.Core.Imaging;

/// <summary>The enlargement factors the toolkit accepts: whole numbers from 2 to 8.</summary>
public static class UpscaleFactor
{
    public const int Min = 2;
    public const int Max = 8;

    public static bool IsSupported(int scale) => scale is >= Min and <= Max;

    /// <summary>Throws a <see cref="VdsrUserException"/> for a factor outside 2..8.</summary>
    public static void Check(int scale)
    {
        if (!IsSupported(scale)) throw new VdsrUserException($"scale {scale}: must be a whole number from {Min} to {Max}");
    }
}
