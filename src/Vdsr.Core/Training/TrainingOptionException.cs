namespace Vdsr.Core.Training;

/// <summary>
/// A training option outside its range. <see cref="Option"/> is the <see cref="TrainingOptions"/>
/// property; when the bound is another option, <see cref="Bound"/> names it and the message ends
/// with it and its value, e.g. "Epochs 4: must be at least StartEpoch (5)".
/// </summary>
public sealed class TrainingOptionException(string option, string value, string problem, (string Option, string Value)? bound = null)
    : VdsrUserException($"{option} {value}: {problem}{(bound is { } b ? $" {b.Option} ({b.Value})" : "")}")
{
    public string Option { get; } = option;
    public string Value { get; } = value;
    public string Problem { get; } = problem;
    public (string Option, string Value)? Bound { get; } = bound;
}
