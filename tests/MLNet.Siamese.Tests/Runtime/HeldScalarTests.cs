using MLNet.Siamese.Tests.Docs;

namespace MLNet.Siamese.Tests.Runtime;

/// <summary>
/// The training code hands TorchSharp no scalar that nothing holds (<see cref="UnheldScalarScan"/>): TorchSharp 0.107
/// frees such a scalar from the finalizer thread, which can happen while libtorch is still reading it
/// (<c>BatchNorm2dModule</c>'s remarks give the measurement). The scan itself is checked on code with and without them.
/// </summary>
[TestClass]
public sealed class HeldScalarTests
{
    [TestMethod]
    public void TheTrainersHoldEveryScalarTheyPassToTorchSharp()
    {
        string root = DocSnippetTests.RepositoryRoot();
        var files = Directory.EnumerateFiles(Path.Combine(root, "src", "Trainers"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Append(Path.Combine(root, "build", "ElfVersionNeeds.cs"))
            .Select(f => (Path.GetRelativePath(root, f), File.ReadAllText(f))).ToList();
        Assert.IsGreaterThan(100, files.Count);

        var (errors, findings) = UnheldScalarScan.Scan("MLNet.Siamese.Trainers", files, ["MLNet.Siamese.Transforms.dll", "MLNet.Siamese.Evaluation.dll"]);

        Assert.IsEmpty(errors, "the sources must compile for the scan to see every call:\n" + string.Join("\n", errors.Take(10)));
        Assert.IsEmpty(findings, "hold these in a using variable (using Scalar two = 2;):\n" + string.Join("\n", findings));
    }

    [TestMethod]
    public void TheScanFindsNumbersPassedAsScalarsAndAcceptsHeldOnes()
    {
        const string unheld = """
            using static TorchSharp.torch;
            static class A
            {
                static Tensor Square(Tensor x) => x.pow(2);
                static Tensor Half(Tensor x) => x * 0.5;
                static Tensor Shift(Tensor x, double s) => s - x;
                static Tensor Sum(Tensor x, Tensor y) => x + y;
                static Tensor Step(Tensor x, Tensor y) => x.add_(y);
            }
            """;
        const string held = """
            using TorchSharp;
            using static TorchSharp.torch;
            static class B
            {
                static Tensor Square(Tensor x) { using Scalar two = 2; return x.pow(two); }
                static Tensor Half(Tensor x) { using (Scalar half = 0.5) return x * half; }
                static Tensor Both(Tensor x, Tensor y) => x * y - y;
                static Tensor Sum(Tensor x, Tensor y) { using Scalar one = 1; return x.add(y, one); }
            }
            """;

        var (errors, findings) = UnheldScalarScan.Scan("Probe", [("unheld.cs", unheld), ("held.cs", held)], []);

        Assert.IsEmpty(errors, string.Join("\n", errors));
        CollectionAssert.AreEquivalent(new[] { "unheld.cs:4", "unheld.cs:5", "unheld.cs:6", "unheld.cs:7", "unheld.cs:8" }, findings.Select(f => string.Join(':', f.Split(':').Take(2))).ToList(),
            string.Join("\n", findings));
    }
}
