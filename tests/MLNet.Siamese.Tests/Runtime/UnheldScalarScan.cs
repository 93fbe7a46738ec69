using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MLNet.Siamese.Tests.Runtime;

/// <summary>
/// Finds, with the C# compiler, every place a source hands TorchSharp a <c>Scalar</c> that nothing holds: an implicit
/// conversion of a number to <c>Scalar</c> (e.g. <c>x.pow(2)</c>), a TorchSharp operator that takes a number (e.g.
/// <c>x * 0.5</c>, which converts it inside TorchSharp 0.107), or an addition (<c>a + b</c>, <c>a + s</c>, <c>s - a</c>,
/// one-argument <c>add</c> and <c>add_</c>, which pass an alpha of 1 converted inside), except a conversion that
/// initializes a <c>using</c> variable, which holds the scalar until the end of its scope.
/// </summary>
internal static class UnheldScalarScan
{
    private const string ImplicitUsings = "global using System; global using System.IO; global using System.Linq; global using System.Collections.Generic; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    /// <summary>Compiles the sources against the test's own assemblies and returns the compile errors and every unheld scalar.</summary>
    /// <param name="assemblyName">The compilation's assembly name (internals other assemblies show to it).</param>
    /// <param name="sources">Each source's path (for the findings) and text.</param>
    /// <param name="referenceNames">The file names of the test output's assemblies to reference besides the packages'
    /// (the compiled sources' own assembly must not be among them).</param>
    /// <returns>The errors and the findings, each as "path:line: code".</returns>
    public static (List<string> Errors, List<string> Findings) Scan(string assemblyName, IEnumerable<(string Path, string Text)> sources, IReadOnlyCollection<string> referenceNames)
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: ["MLNET_SIAMESE_LIBRARY"]);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, options, s.Path)).Append(CSharpSyntaxTree.ParseText(ImplicitUsings, options)).ToList();
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = Directory.EnumerateFiles(runtime, "*.dll")
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll").Where(p => IsReference(Path.GetFileName(p), referenceNames)))
            .GroupBy(Path.GetFileName).Select(g => g.First()).Where(IsManagedAssembly)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(assemblyName, trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        var findings = new List<string>();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            var seen = new HashSet<SyntaxNode>();
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (model.GetOperation(node) is not { Parent: null } root) continue;
                foreach (var operation in root.DescendantsAndSelf())
                    if (IsUnheld(operation) && seen.Add(operation.Syntax))
                        findings.Add($"{tree.FilePath}:{tree.GetLineSpan(operation.Syntax.Span).StartLinePosition.Line + 1}: {Context(operation.Syntax)}");
            }
        }
        return (errors, findings);
    }

    private static string Context(SyntaxNode syntax) =>
        ((SyntaxNode?)syntax.FirstAncestorOrSelf<StatementSyntax>() ?? syntax.FirstAncestorOrSelf<ArrowExpressionClauseSyntax>() ?? syntax).ToString().Trim();

    private static bool IsReference(string fileName, IReadOnlyCollection<string> referenceNames) =>
        referenceNames.Contains(fileName) || !(fileName.StartsWith("MLNet.Siamese", StringComparison.Ordinal) || fileName.StartsWith("siamese", StringComparison.Ordinal));

    private static bool IsManagedAssembly(string path)
    {
        try { System.Reflection.AssemblyName.GetAssemblyName(path); return true; }
        catch (BadImageFormatException) { return false; }
    }

    private static bool IsUnheld(IOperation operation) => operation switch
    {
        IConversionOperation { IsImplicit: true, OperatorMethod: not null } c when c.Type?.ToDisplayString() == "TorchSharp.Scalar" => !InitializesUsingVariable(c.Syntax),
        // A number converted inside the operator; an addition (TorchSharp's add(x, 1)); s − a (−a + s, the same add).
        IBinaryOperation { OperatorMethod: { } method } binary => method.ContainingAssembly?.Name == "TorchSharp"
            && (method.Parameters.Any(p => p.Type.SpecialType != SpecialType.None) || binary.OperatorKind == BinaryOperatorKind.Add
                || (binary.OperatorKind == BinaryOperatorKind.Subtract && method.Parameters[0].Type.Name == "Scalar")),
        // add(x) and add_(x): TorchSharp passes add(x, 1).
        IInvocationOperation { TargetMethod: { Name: "add" or "add_", Parameters.Length: 1 } method } => method.ContainingAssembly?.Name == "TorchSharp",
        _ => false,
    };

    private static bool InitializesUsingVariable(SyntaxNode syntax) =>
        syntax.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }
        && (declaration.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } || declaration.Parent is UsingStatementSyntax);
}
