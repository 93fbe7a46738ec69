using System.Reflection;
using Microsoft.ML;

namespace MLNet.Siamese.ModelFiles;

/// <summary>
/// Turns an exception thrown by <c>mlContext.Model.Load</c> into one that names the file and says what went wrong.
/// ML.NET reports a component it cannot read as "Error during class instantiation" wrapped around
/// TargetInvocationExceptions, with the reason ("File is too new", "... because the model is too new", "Couldn't load
/// model: 'TransformerChain/Transform_008'", a missing loader assembly) only in the innermost exception.
/// </summary>
internal static class ModelLoadFailure
{
    private const string Instantiation = "Error during class instantiation";

    /// <summary>The ML.NET package version this process runs, e.g. "5.0.1" (its assemblies all say 1.0.0.0).</summary>
    public static string MLNetVersion { get; } = ReadMLNetVersion();

    /// <summary>An <see cref="InvalidDataException"/> naming <paramref name="path"/>, ML.NET's reasons and a hint, on one line.</summary>
    /// <param name="path">The model zip that failed to load.</param>
    /// <param name="error">What <c>mlContext.Model.Load</c> threw; kept as the inner exception.</param>
    public static InvalidDataException Describe(string path, Exception error)
    {
        var reasons = new List<string>();
        Exception root = error;
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            root = e;
            if (e is TargetInvocationException || (e is InvalidOperationException && e.Message == Instantiation && e.InnerException is not null))
                continue;
            string message = OneLine(e.Message);
            if (message.Length > 0 && !reasons.Contains(message))
                reasons.Add(message);
        }
        string hint = root switch
        {
            FileNotFoundException or FileLoadException =>
                " It needs an assembly this application does not have: it was written by a different version of ML.NET or uses a component not referenced here.",
            FormatException =>
                " Its format, a component's version or a loader name is one this ML.NET cannot read: it was written by a newer or different version of ML.NET, or edited.",
            _ => "",
        };
        string because = reasons.Count == 0 ? error.GetType().Name : string.Join(" / ", reasons);
        return new InvalidDataException($"Model file '{path}' could not be loaded by ML.NET {MLNetVersion}: {because}.{hint}", error);
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');

    private static string ReadMLNetVersion()
    {
        var assembly = typeof(MLContext).Assembly;
        string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(version))
            return assembly.GetName().Version?.ToString() ?? "(unknown version)";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
