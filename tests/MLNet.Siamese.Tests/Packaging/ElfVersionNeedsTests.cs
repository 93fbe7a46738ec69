using MLNet.Siamese.Runtime;

namespace MLNet.Siamese.Tests.Packaging;

/// <summary>
/// The libstdc++ adaptation of TorchSharp's glue (build/ElfVersionNeeds.cs, shared by the library and the MSBuild task):
/// the shipped library demands GLIBCXX_3.4.32 strictly, marking it weak changes exactly that entry once, and the copy in
/// this test's own output (patched by the build) loads on this system.
/// </summary>
[TestClass]
public sealed class ElfVersionNeedsTests
{
    private static string ShippedGlue()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.IsTrue(File.Exists(path), $"TorchSharp's glue is not in the NuGet cache at {path}");
        return path;
    }

    [TestMethod]
    public void MarkingTheVersionWeakChangesOnlyItsFlagsOnce()
    {
        byte[] shipped = File.ReadAllBytes(ShippedGlue());
        Assert.IsTrue(ElfVersionNeeds.IsStrict(shipped, ElfVersionNeeds.TorchSharpGlibcxx));
        byte[] patched = (byte[])shipped.Clone();

        Assert.AreEqual(1, ElfVersionNeeds.MarkWeak(patched, ElfVersionNeeds.TorchSharpGlibcxx));

        Assert.IsFalse(ElfVersionNeeds.IsStrict(patched, ElfVersionNeeds.TorchSharpGlibcxx));
        Assert.AreEqual(1, shipped.Zip(patched).Count(p => p.First != p.Second), "exactly one byte (the Vernaux flags) changes");
        var before = ElfVersionNeeds.Requirements(shipped);
        var after = ElfVersionNeeds.Requirements(patched);
        CollectionAssert.AreEqual(before.Select(r => r.Name).ToList(), after.Select(r => r.Name).ToList());
        Assert.AreEqual(0, ElfVersionNeeds.MarkWeak(patched, ElfVersionNeeds.TorchSharpGlibcxx), "idempotent");
    }

    [TestMethod]
    public void TheBuildOutputCopyAcceptsThisSystemsLibStdCxx()
    {
        string? system = ElfVersionNeeds.SystemLibStdCxx();
        Assert.IsNotNull(system, "no libstdc++.so.6 found");
        bool provides = ElfVersionNeeds.Provides(File.ReadAllBytes(system), ElfVersionNeeds.TorchSharpGlibcxx);
        string glue = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).Single();

        bool strict = ElfVersionNeeds.IsStrict(File.ReadAllBytes(glue), ElfVersionNeeds.TorchSharpGlibcxx);

        Assert.IsTrue(provides || !strict, $"{system} lacks {ElfVersionNeeds.TorchSharpGlibcxx} and the build left {glue} strict");
    }

    [TestMethod]
    public void NewestGlibcxxReadsTheHighestVersionNamed()
    {
        byte[] image = "xxGLIBCXX_3.4.9\0GLIBCXX_3.4.30\0GLIBCXX_3.4.29\0"u8.ToArray();
        Assert.AreEqual("GLIBCXX_3.4.30", ElfVersionNeeds.NewestGlibcxx(image));
        Assert.IsNull(ElfVersionNeeds.NewestGlibcxx("no versions"u8.ToArray()));
    }

    [TestMethod]
    public void ANonElfFileIsRejectedByName()
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionNeeds.Requirements(new byte[64]));
        StringAssert.Contains(e.Message, "ELF");
    }
}
