using Vdsr.Core.Model;
using Vdsr.Core.Pruning;

namespace Vdsr.Core.Tests.BadInput;

/// <summary>Pruning configs beyond those of PruneConfigTests: wrong types, non-finite and huge numbers, deep nesting, duplicates.</summary>
public sealed class BadPruneConfigTests
{
    private const string Source = "config.json";

    [Theory]
    [InlineData("[{\"sparsity\": \"0.5\", \"op_types\": [\"Conv2d\"]}]", "rule 1: sparsity must be a number")]
    [InlineData("[{\"sparsity\": \"NaN\", \"op_types\": [\"Conv2d\"]}]", "rule 1: sparsity must be a number")]
    [InlineData("[{\"sparsity\": NaN, \"op_types\": [\"Conv2d\"]}]", "not valid JSON")]
    [InlineData("[{\"sparsity\": 1e400, \"op_types\": [\"Conv2d\"]}]", "rule 1: sparsity 1e400 is not a finite number")]
    [InlineData("[{\"sparsity\": -1e400, \"op_types\": [\"Conv2d\"]}]", "rule 1: sparsity -1e400 is not a finite number")]
    [InlineData("[{\"sparsity\": 123456789012345678901234567890, \"op_types\": [\"Conv2d\"]}]", "must be in [0, 1)")]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": [\"Conv2d\", null]}]", "rule 1: op_types must be a list of strings")]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": [[\"Conv2d\"]]}]", "rule 1: op_types must be a list of strings")]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": [\"Conv2d\"], \"exclude\": \"no\"}]", "rule 1: exclude must be true or false")]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": [\"Conv2d\"]}, 7]", "rule 2 is not a JSON object")]
    [InlineData("[{\"sparsity\": 0.5, \"sparsity\": 0.6, \"op_types\": [\"Conv2d\"]}]", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("null", "a JSON list of rules")]
    public void BadConfigIsRefusedNamingTheFile(string json, string fragment) =>
        UserErrorAssert.Refuses(Source, () => PruneConfig.Parse(json, Source).Resolve(VdsrArchitecture.Original), fragment);

    [Fact]
    public void DeepNestingIsRefused() =>
        UserErrorAssert.Refuses(Source, () => PruneConfig.Parse(new string('[', 100_000) + new string(']', 100_000), Source), "not valid JSON");
}
