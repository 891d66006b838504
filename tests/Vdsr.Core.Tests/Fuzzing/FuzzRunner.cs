using System.Diagnostics;
using Vdsr.Core.Tests.BadInput;
using Xunit.Abstractions;

namespace Vdsr.Core.Tests.Fuzzing;

/// <summary>
/// Feeds seeded mutants of a valid file to a reader through its path and checks the reader
/// contract for each: it returns, or throws a <see cref="VdsrUserException"/> whose one-line
/// message starts with the path; it finishes within the call timeout; it stays within the
/// allocation (and resident memory) limits. A failing mutant is kept for reproduction.
/// </summary>
internal sealed class FuzzRunner(ITestOutputHelper output, FuzzLimits limits)
{
    private static readonly string FailureFolder = Path.Combine(Path.GetTempPath(), "vdsr-fuzz-failures");

    /// <param name="repair">Applied to every other mutant, e.g. to fix checksums that would stop most mutants at the first check.</param>
    public void Run(string format, byte[] original, string extension, Action<string> read, Func<byte[], byte[]>? repair = null)
    {
        int seed = FuzzLimits.Seed;
        using var temp = new TempFolder();
        var mutator = new ByteMutator(seed);
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        long maxAllocated = 0, maxResident = 0;
        TimeSpan slowest = TimeSpan.Zero;
        int done = 0;
        for (; done < limits.Iterations && clock.Elapsed < limits.TimeCap; done++)
        {
            var mutant = mutator.Mutate(original);
            if (repair is not null && done % 2 == 1) mutant = repair(mutant);
            string path = temp.File($"mutant-{done}{extension}");
            File.WriteAllBytes(path, mutant);
            var call = Call(path, read, limits.MaxResidentGrowth is not null);
            if (call is null) Fail(format, seed, done, mutant, extension, $"did not finish within {limits.CallTimeout.TotalSeconds} s");
            var (error, allocated, resident, took) = call!.Value;
            maxAllocated = Math.Max(maxAllocated, allocated);
            maxResident = Math.Max(maxResident, resident);
            if (took > slowest) slowest = took;

            if (error is not null and not VdsrUserException)
                Fail(format, seed, done, mutant, extension, $"threw {error.GetType().FullName}: {error.Message}\n{error.StackTrace}");
            if (error is VdsrUserException user && (!user.Message.StartsWith(path + ": ", StringComparison.Ordinal) || user.Message.AsSpan().IndexOfAny('\n', '\r') >= 0))
                Fail(format, seed, done, mutant, extension, $"message does not name the file in one line: {user.Message}");
            if (allocated > limits.AllocationLimit(mutant.Length))
                Fail(format, seed, done, mutant, extension, $"allocated {allocated} managed bytes, limit {limits.AllocationLimit(mutant.Length)}");
            if (limits.MaxResidentGrowth is long maxGrowth && resident > maxGrowth)
                Fail(format, seed, done, mutant, extension, $"resident memory grew {resident} bytes, limit {maxGrowth}");

            string outcome = error is null ? "read" : Outcome(error.Message[(path.Length + 2)..]);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            File.Delete(path);
        }
        output.WriteLine($"{format}: {done} mutants in {clock.Elapsed.TotalSeconds:F1} s (cap {limits.TimeCap.TotalSeconds} s, {limits.Iterations} planned), " +
                         $"seed file {original.Length} bytes, slowest call {slowest.TotalMilliseconds:F0} ms, most managed bytes allocated {maxAllocated}" +
                         (limits.MaxResidentGrowth is null ? "" : $", most resident growth {maxResident}"));
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value).Take(12))
            output.WriteLine($"  {count,5}  {outcome}");
        Assert.True(done >= Math.Min(limits.Iterations, 200), $"{format}: only {done} mutants ran before the time cap");
        Assert.True(outcomes.Count > 1, $"{format}: every mutant had the same outcome, so the mutations reach nothing");
    }

    /// <summary>Runs one read on its own thread; null when it did not finish in time.</summary>
    private (Exception? Error, long Allocated, long Resident, TimeSpan Took)? Call(string path, Action<string> read, bool measureResident)
    {
        Exception? error = null;
        long allocated = 0, resident = 0;
        var took = Stopwatch.StartNew();
        var thread = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            void Read()
            {
                try { read(path); }
                catch (Exception e) { error = e; }
            }
            if (measureResident) resident = ProcessMemory.PeakGrowthDuring(Read);
            else Read();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { IsBackground = true, Name = "fuzzed read" };
        thread.Start();
        if (!thread.Join(limits.CallTimeout)) return null;
        return (error, allocated, resident, took.Elapsed);
    }

    /// <summary>The message without numbers and quoted names, so that like errors count together.</summary>
    private static string Outcome(string message)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(message, @"'[^']*'|\d+", "#");
        return text.Length <= 110 ? text : text[..110] + "...";
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(string format, int seed, int iteration, byte[] mutant, string extension, string problem)
    {
        Directory.CreateDirectory(FailureFolder);
        string kept = Path.Combine(FailureFolder, $"{format}-seed{seed}-{iteration}{extension}");
        File.WriteAllBytes(kept, mutant);
        output.WriteLine($"{format}: mutant {iteration} (seed {seed}) {problem}");
        Assert.Fail($"{format}: mutant {iteration} (seed {seed}, kept at {kept}) {problem}");
    }
}
