using System.Reflection;

namespace Vdsr.Core.Tests;

/// <summary>The long tests carry the trait that lets a local run skip them (CI runs everything).</summary>
public class SlowTestTraitTests
{
    [Fact]
    public void FuzzAndConvergenceTestsAreTaggedSlow()
    {
        var slow = typeof(SlowTestTraitTests).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("FuzzTests", StringComparison.Ordinal) || t.Name == "ConvergenceTests").ToList();
        Assert.True(slow.Count >= 7, $"found only {slow.Count} fuzz and convergence test classes");
        foreach (var type in slow)
        {
            bool tagged = type.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute)
                && a.ConstructorArguments.Select(c => c.Value as string).SequenceEqual(["Category", "Slow"]));
            Assert.True(tagged, $"{type.Name} has no [Trait(\"Category\", \"Slow\")]");
        }
    }
}
