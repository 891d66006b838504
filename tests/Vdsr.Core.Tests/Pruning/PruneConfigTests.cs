using Vdsr.Core.Model;
using Vdsr.Core.Pruning;

namespace Vdsr.Core.Tests.Pruning;

public class PruneConfigTests
{
    private static readonly VdsrArchitecture Original = VdsrArchitecture.Original;

    [Fact]
    public void ReadsTheExperimentsConfigList()
    {
        var config = PruneConfig.Parse("[{'sparsity': 0.5, 'op_types': ['Conv2d']}]".Replace('\'', '"'), "c.json");
        var targets = config.Resolve(Original);
        Assert.Equal(20, targets.Count);
        Assert.All(targets, t => Assert.Equal(0.5, t.Sparsity));
        Assert.Equal("input", targets[0].Name);
        Assert.Equal("residual_layer.3.conv", targets[4].Name);
        Assert.Equal("output", targets[19].Name);
    }

    [Fact]
    public void LastMatchingRuleWinsAndExcludeRemovesLayers()
    {
        const string json = """
            [
              {"sparsity_per_layer": 0.5, "op_types": ["Conv2d"]},
              {"sparsity": 0.25, "op_partial_names": ["residual_layer.1"]},
              {"exclude": true, "op_names": ["input", "output"]}
            ]
            """;
        var targets = PruneConfig.Parse(json, "c.json").Resolve(Original);
        Assert.DoesNotContain(targets, t => t.Name is "input" or "output");
        // residual_layer.1, .10 .. .17 contain "residual_layer.1"
        Assert.Equal(0.25, targets.Single(t => t.Name == "residual_layer.1.conv").Sparsity);
        Assert.Equal(0.25, targets.Single(t => t.Name == "residual_layer.12.conv").Sparsity);
        Assert.Equal(0.5, targets.Single(t => t.Name == "residual_layer.2.conv").Sparsity);
        Assert.Equal(18, targets.Count);
    }

    [Fact]
    public void AnExcludeFollowedByASparsityRuleIsOverridden()
    {
        var config = new PruneConfig([
            new PruneRule { Exclude = true, OpNames = ["input"] },
            new PruneRule { SparsityPerLayer = 0.5, OpTypes = ["Conv2d"] },
        ]);
        Assert.Contains(config.Resolve(Original), t => t.Name == "input");
    }

    [Fact]
    public void RoundTripsThroughJson()
    {
        var config = new PruneConfig([
            new PruneRule { TotalSparsity = 0.3, MaxSparsityPerLayer = 0.8, OpTypes = ["Conv2d"] },
            new PruneRule { Exclude = true, OpNames = ["output"] },
        ]);
        var again = PruneConfig.Parse(config.ToJson(), "stored");
        Assert.Equal(config.ToJson(), again.ToJson());
        Assert.Equal(config.Resolve(Original), again.Resolve(Original));
    }

    [Theory]
    [InlineData("[{\"sparsity\": 1.0, \"op_types\": [\"Conv2d\"]}]", "sparsity 1 must be in [0, 1)")]
    [InlineData("[{\"sparsity\": -0.1, \"op_types\": [\"Conv2d\"]}]", "must be in [0, 1)")]
    [InlineData("[{\"sparsity\": 0.5, \"op_names\": [\"residual_layer.30.conv\"]}]", "no layer is named 'residual_layer.30.conv'")]
    [InlineData("[{\"sparsity\": 0.5, \"op_partial_names\": [\"decoder\"]}]", "no layer name contains 'decoder'")]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": [\"Linear\"]}]", "select no layer")]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": [\"Conv2d\"]}, {\"exclude\": true, \"op_types\": [\"Conv2d\"]}]", "leaves no layer to prune")]
    [InlineData("[{\"sparsity\": 0.5}]", "needs op_types, op_names or op_partial_names")]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": [\"Conv2d\"], \"sparsty\": 1}]", "unknown key 'sparsty'")]
    [InlineData("[{\"op_types\": [\"Conv2d\"]}]", "exactly one of sparsity")]
    [InlineData("{\"sparsity\": 0.5}", "a JSON list of rules")]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": \"Conv2d\"}]", "op_types must be a list of strings")]
    [InlineData("[{\"sparsity\": 0.5, \"op_types\": [\"Conv2d\"]", "not valid JSON")]
    [InlineData("[]", "no rule")]
    public void RefusesBadConfigsWithTheFileNamed(string json, string fragment)
    {
        var e = Assert.ThrowsAny<VdsrUserException>(() => PruneConfig.Parse(json, "bad.json").Resolve(Original));
        Assert.StartsWith("bad.json: ", e.Message);
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ModeMustSuitThePruner()
    {
        Assert.Throws<VdsrUserException>(() => new PruningSettings { Mode = PruningSettings.BalanceMode }.Validate());
        Assert.Throws<VdsrUserException>(() => new PruningSettings { Method = PruningMethod.Level, Mode = PruningSettings.DependencyAwareMode }.Validate());
        Assert.Throws<VdsrUserException>(() => new PruningSettings { Method = PruningMethod.Level, Mode = PruningSettings.BalanceMode }.Validate());
        new PruningSettings { Mode = PruningSettings.DependencyAwareMode }.Validate();
    }

    [Fact]
    public void AConfigFileThatIsNoRegularFileOrTooLargeIsRefusedInOneLine()
    {
        using var temp = new TempFolder();
        Assert.Equal($"{temp.Path}: is a folder, not a pruning config", Assert.Throws<VdsrUserException>(() => PruneConfig.Load(temp.Path)).Message);
        if (File.Exists("/dev/zero")) // read without end before the check
            Assert.StartsWith("/dev/zero: is a character device", Assert.Throws<VdsrUserException>(() => PruneConfig.Load("/dev/zero")).Message);
        string large = temp.File("large.json");
        File.WriteAllText(large, "[" + new string(' ', (int)PruneConfig.MaxFileBytes) + "]");
        Assert.Contains("more than the 1048576 bytes a pruning config may have", Assert.Throws<VdsrUserException>(() => PruneConfig.Load(large)).Message);
        Assert.Equal($"{temp.File("none.json")}: config file not found", Assert.Throws<VdsrUserException>(() => PruneConfig.Load(temp.File("none.json"))).Message);
        string good = temp.File("good.json");
        File.WriteAllText(good, """[{"sparsity": 0.25, "op_types": ["Conv2d"]}]""");
        Assert.Equal(0.25, PruneConfig.Load(good).Rules[0].SparsityPerLayer);
    }
}
