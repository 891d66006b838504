using System.Text;
using Vdsr.Core.Model;
using Vdsr.Core.Pruning;
using Vdsr.Core.Training;
using Xunit.Abstractions;

namespace Vdsr.Core.Tests.Fuzzing;

/// <summary>Mutants of a pruning config and of a training log, read as the tools read them.</summary>
[Trait("Category", "Slow")] // fuzzing, killed processes, convergence: skip locally with --filter "Category!=Slow"
public sealed class TextFuzzTests(ITestOutputHelper output)
{
    private const string PruneConfigJson = """
        [
          {"sparsity": 0.5, "op_types": ["Conv2d"]},
          {"total_sparsity": 0.3, "max_sparsity_per_layer": 0.8, "op_partial_names": ["residual_layer.1"]},
          {"exclude": true, "op_names": ["input", "output"]}
        ]
        """;

    [Fact]
    public void MutatedPruneConfigsParseOrAreRefused() =>
        new FuzzRunner(output, new FuzzLimits()).Run("prune-json", Encoding.UTF8.GetBytes(PruneConfigJson), ".json",
            path => PruneConfig.Parse(File.ReadAllText(path), path).Resolve(VdsrArchitecture.Original));

    [Fact]
    public void MutatedTrainingLogsParseOrAreRefused()
    {
        var log = new StringBuilder("epoch,iteration,loss,lr,grad_norm,psnr_x2,psnr_x3,psnr_x4,elapsed_s\n");
        for (int step = 1; step <= 24; step++)
        {
            log.Append($"{1 + step / 8},{step},{0.5 / step:R},0.1,{1.5 + step * 0.01:R},,,,{step * 2.5:R}\n");
            if (step % 8 == 0) log.Append($"{step / 8},{step},,,,{33 + step * 0.01:R},{30.5:R},{28.25:R},{step * 2.5 + 1:R}\n");
        }
        new FuzzRunner(output, new FuzzLimits()).Run("training-csv", Encoding.UTF8.GetBytes(log.ToString()), ".csv", path => TrainingHistory.Read(path));
    }
}
