namespace Vdsr.Core.Training;

/// <summary>A training option outside its range; <see cref="Option"/> is the <see cref="TrainingOptions"/> property.</summary>
public sealed class TrainingOptionException(string option, string value, string problem)
    : VdsrUserException($"{option} {value}: {problem}")
{
    public string Option { get; } = option;
    public string Value { get; } = value;
    public string Problem { get; } = problem;
}
