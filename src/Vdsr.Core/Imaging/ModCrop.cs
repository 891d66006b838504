using System.Numerics;

namespace Vdsr.Core.Imaging;

/// <summary>data/modcrop.m: cuts the bottom rows and right columns so both sizes divide by the scale.</summary>
public static class ModCrop
{
    public static ImageBuffer<T> Apply<T>(ImageBuffer<T> image, int modulo) where T : unmanaged, INumber<T> =>
        image.Crop(0, 0, image.Height - image.Height % modulo, image.Width - image.Width % modulo);
}
