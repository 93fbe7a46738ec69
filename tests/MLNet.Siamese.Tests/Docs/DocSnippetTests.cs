using System.Text.RegularExpressions;

namespace MLNet.Siamese.Tests.Docs;

/// <summary>
/// Every C# sample in docs/*.md is preceded by <c>&lt;!-- snippet: path#region --&gt;</c> and must equal that region of
/// a compiled example file, so the docs cannot drift from code that builds.
/// </summary>
[TestClass]
public sealed partial class DocSnippetTests
{
    [GeneratedRegex(@"<!-- snippet: (?<file>[^#\s]+)#(?<region>[\w-]+) -->\s*```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Snippet();

    [GeneratedRegex(@"```csharp")]
    private static partial Regex CSharpBlock();

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MLNet.Siamese.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("MLNet.Siamese.sln not found above " + AppContext.BaseDirectory);
    }

    [TestMethod]
    public void EveryCSharpSampleInTheDocsIsARegionOfACompiledFile()
    {
        string root = RepositoryRoot();
        int checkedSamples = 0;
        foreach (var doc in Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
        {
            string text = File.ReadAllText(doc).Replace("\r\n", "\n", StringComparison.Ordinal);
            var matches = Snippet().Matches(text);
            Assert.AreEqual(CSharpBlock().Matches(text).Count, matches.Count, $"{Path.GetFileName(doc)}: every ```csharp block needs a <!-- snippet: file#region --> marker");
            foreach (Match m in matches)
            {
                string file = Path.Combine(root, m.Groups["file"].Value);
                Assert.IsTrue(File.Exists(file), $"{Path.GetFileName(doc)} quotes missing file {m.Groups["file"].Value}");
                string source = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
                var region = Regex.Match(source, "#region " + Regex.Escape(m.Groups["region"].Value) + @"\n(.*?)#endregion", RegexOptions.Singleline);
                Assert.IsTrue(region.Success, $"{m.Groups["file"].Value} has no region {m.Groups["region"].Value}");
                Assert.AreEqual(region.Groups[1].Value.TrimEnd(), m.Groups["code"].Value.TrimEnd(), $"{Path.GetFileName(doc)} is out of date with {m.Groups["file"].Value}#{m.Groups["region"].Value}");
                checkedSamples++;
            }
        }
        Assert.IsGreaterThanOrEqualTo(2, checkedSamples);
    }
}
