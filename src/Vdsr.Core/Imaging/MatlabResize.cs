namespace Vdsr.Core.Imaging;

/// <summary>MATLAB imresize(..., 'bicubic'), bit-exact (see REFERENCE spec in the README).</summary>
public static class MatlabResize
{
    /// <summary>imresize(image, scale): output size ceil(scale * n), antialiasing when scale &lt; 1.</summary>
    public static ImageBuffer<double> Resize(ImageBuffer<double> image, double scale) => throw new NotImplementedException();

    /// <summary>imresize(image, [rows cols]).</summary>
    public static ImageBuffer<double> Resize(ImageBuffer<double> image, int outHeight, int outWidth) => throw new NotImplementedException();

    /// <summary>uint8 semantics: rounded half away from zero and saturated after each 1-D pass.</summary>
    public static ImageBuffer<byte> Resize(ImageBuffer<byte> image, double scale) => throw new NotImplementedException();

    public static ImageBuffer<byte> Resize(ImageBuffer<byte> image, int outHeight, int outWidth) => throw new NotImplementedException();
}
