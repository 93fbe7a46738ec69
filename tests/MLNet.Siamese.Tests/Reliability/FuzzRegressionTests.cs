using System.Diagnostics;
using System.Reflection;
using MLNet.Siamese.Fuzz;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Replays the fuzzers' seed corpus (fuzz/corpus/TARGET) and every input the fuzzer kept as a crash or hang
/// (fuzz/regressions/TARGET) through the same targets: each must end in a documented refusal or succeed, within 5 s.
/// </summary>
[TestClass]
public sealed class FuzzRegressionTests
{
    private static readonly string FuzzFolder = typeof(FuzzRegressionTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FuzzFolder").Value!;

    public static IEnumerable<object[]> Targets => FuzzTargets.Names.Select(n => new object[] { n });

    [TestMethod]
    [DynamicData(nameof(Targets))]
    public void EveryKeptInputIsRefusedCleanlyAndQuickly(string target)
    {
        var inputs = new[] { "corpus", "regressions" }
            .Select(kind => Path.Combine(FuzzFolder, kind, target))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.GetFiles(folder))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.IsNotEmpty(inputs, $"fuzz/corpus/{target} holds seeds");
        string scratch = Path.Combine(Path.GetTempPath(), "mlnet-siamese-tests", "fuzz-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (string input in inputs)
            {
                if (Directory.Exists(scratch))
                    Directory.Delete(scratch, recursive: true);
                Directory.CreateDirectory(scratch);
                var clock = Stopwatch.StartNew();
                FuzzTargets.Run(target, File.ReadAllBytes(input), scratch);
                Assert.IsLessThan(5.0, clock.Elapsed.TotalSeconds, $"'{input}' took {clock.Elapsed.TotalSeconds:0.0} s (a hang)");
            }
        }
        finally
        {
            if (Directory.Exists(scratch))
                Directory.Delete(scratch, recursive: true);
        }
    }
}
