using Vdsr.Core.Imaging;

namespace Vdsr.Core.Evaluation;

/// <summary>
/// One evaluation input as data/generate_test_mat.m makes it: the cropped ground truth, its Y
/// (im_gt_y) and the bicubic down-and-up Y (im_b_y), both in 0..255 units. Inputs read from .mat
/// files carry the ground-truth RGB only when the file has `im_gt`.
/// </summary>
public sealed record EvalSample(
    string Name,
    int Scale,
    ImageBuffer<byte>? GroundTruthRgb,
    ImageBuffer<double> GroundTruthY,
    ImageBuffer<double> BicubicY);
