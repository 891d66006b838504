namespace Vdsr.Core.Tests.BadInput;

/// <summary>
/// Tests that bound the process's resident memory run alone: another test allocating at the
/// same time would show up in their measurement.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuringCollection
{
    public const string Name = "memory measuring";
}
