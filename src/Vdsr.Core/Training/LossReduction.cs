namespace Vdsr.Core.Training;

/// <summary>How the squared errors of a batch are reduced to the loss that is differentiated.</summary>
public enum LossReduction
{
    /// <summary>The sum over every pixel of every patch: main_vdsr.py's MSELoss(size_average=False).</summary>
    Sum,

    /// <summary>sum / (2 x batch): Caffe's EuclideanLoss, the objective the paper trained with.</summary>
    Batch,

    /// <summary>sum / (pixels of the batch): PyTorch's MSELoss default, per element.</summary>
    Mean,
}

public static class LossReductions
{
    public static string Name(this LossReduction reduction) => EnumNames.Name(reduction);

    public static LossReduction? Parse(string text) => EnumNames.Parse<LossReduction>(text);

    /// <summary>What the summed squared error is multiplied by; gradients scale by the same factor.</summary>
    public static double Factor(this LossReduction reduction, long batchSize, long pixelsPerPatch) => reduction switch
    {
        LossReduction.Sum => 1,
        LossReduction.Batch => 1.0 / (2.0 * batchSize),
        LossReduction.Mean => 1.0 / ((double)batchSize * pixelsPerPatch),
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, null),
    };
}
