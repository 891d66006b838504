namespace Vdsr.Core.Training;

/// <summary>The update rule of a training run.</summary>
public enum OptimizerKind
{
    /// <summary>torch.optim.SGD with momentum and weight decay, as main_vdsr.py and the paper.</summary>
    Sgd,

    /// <summary>torch.optim.Adam (betas 0.9 and 0.999, eps 1e-8, weight decay added to the gradient).</summary>
    Adam,
}

public static class OptimizerKinds
{
    public static string Name(this OptimizerKind kind) => EnumNames.Name(kind);

    public static OptimizerKind? Parse(string text) => EnumNames.Parse<OptimizerKind>(text);
}
