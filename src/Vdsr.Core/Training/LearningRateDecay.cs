namespace Vdsr.Core.Training;

/// <summary>How the learning rate falls over a run.</summary>
public enum LearningRateDecay
{
    /// <summary>main_vdsr.py: lr0 divided by 10 every <see cref="TrainingOptions.Step"/> epochs.</summary>
    Step,

    /// <summary>Half a cosine from lr0 to 0 over every step of the run (SGDR without restarts).</summary>
    Cosine,
}

public static class LearningRateDecays
{
    public static string Name(this LearningRateDecay decay) => EnumNames.Name(decay);

    public static LearningRateDecay? Parse(string text) => EnumNames.Parse<LearningRateDecay>(text);
}
