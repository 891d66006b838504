using Vdsr.Core.IO;
using Vdsr.Core.Imaging;

namespace Vdsr.Core.Evaluation;

/// <summary>The image variables of a .mat file (im_gt_y, im_b_y, im_gt) as HWC images.</summary>
public static class MatImages
{
    /// <summary>A rows x cols (x planes) array as a row-major HWC image.</summary>
    public static ImageBuffer<double> ToImageDouble(this MatArray array)
    {
        var (rows, cols, planes) = ImageShape(array);
        var result = new ImageBuffer<double>(rows, cols, planes);
        for (int p = 0; p < planes; p++)
            for (int c = 0; c < cols; c++)
                for (int r = 0; r < rows; r++)
                    result.Data[(r * cols + c) * planes + p] = array.Values[r + rows * (c + cols * p)];
        return result;
    }

    /// <summary>
    /// A rows x cols (x planes) array of whole numbers in 0..255 as a row-major HWC uint8 image,
    /// whatever its class (MATLAB scripts often keep 8-bit images as double).
    /// </summary>
    public static ImageBuffer<byte> ToImageByte(this MatArray array)
    {
        var image = array.ToImageDouble();
        var result = new ImageBuffer<byte>(image.Height, image.Width, image.Channels);
        for (int i = 0; i < image.Data.Length; i++)
        {
            double v = image.Data[i];
            if (!(v >= 0 && v <= 255 && v == Math.Floor(v)))
                throw new VdsrUserException($"{array.SourcePath}: variable '{array.Name}' holds {v}, not an 8-bit image value");
            result.Data[i] = (byte)v;
        }
        return result;
    }

    private static (int Rows, int Cols, int Planes) ImageShape(MatArray array)
    {
        if (array.Dimensions.Count < 2 || array.Dimensions.Count > 3)
            throw new VdsrUserException($"{array.SourcePath}: variable '{array.Name}' has {array.Dimensions.Count} dimensions, not an image (2 or 3)");
        return (array.Dimensions[0], array.Dimensions[1], array.Dimensions.Count == 3 ? array.Dimensions[2] : 1);
    }
}
