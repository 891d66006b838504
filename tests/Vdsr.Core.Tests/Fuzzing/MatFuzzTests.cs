using Vdsr.Core.Evaluation;
using Vdsr.Core.IO;
using Vdsr.Core.Tests.BadInput;
using Xunit.Abstractions;

namespace Vdsr.Core.Tests.Fuzzing;

/// <summary>Mutants of a small evaluation .mat (-v6 and -v7) through <see cref="MatFile.Read"/> and the image conversion.</summary>
[Trait("Category", "Slow")] // fuzzing, killed processes, convergence: skip locally with --filter "Category!=Slow"
public sealed class MatFuzzTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MutatedMatFilesReadOrAreRefused(bool compressed)
    {
        new FuzzRunner(output, new FuzzLimits()).Run(compressed ? "mat-v7" : "mat-v6", MatBytes.EvalFile(12, compressed), ".mat", path =>
        {
            foreach (var array in MatFile.Read(path).Values)
                if (array.Dimensions.Count is 2 or 3) array.ToImageDouble();
        });
    }
}
