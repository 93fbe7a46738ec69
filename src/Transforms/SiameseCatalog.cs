using Microsoft.ML;

namespace MLNet.Siamese;

/// <summary>
/// The entry point of MLNet.Siamese, reached as <c>mlContext.Siamese()</c>: data loaders, pair and triplet
/// generators, the Siamese trainer and the evaluators hang off this catalog as extension methods, the way
/// ML.NET's own catalogs are extended by its component packages.
/// </summary>
public sealed class SiameseCatalog
{
    internal SiameseCatalog(MLContext context)
    {
        Context = context ?? throw new ArgumentNullException(nameof(context));
    }

    /// <summary>The ML.NET context this catalog was reached from; its seed and log channel are used by every component.</summary>
    public MLContext Context { get; }
}

/// <summary>Adds <see cref="SiameseCatalog"/> to <see cref="MLContext"/>.</summary>
public static class MLContextSiameseExtensions
{
    /// <summary>Returns the Siamese catalog of <paramref name="mlContext"/>: <c>mlContext.Siamese()</c>.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <returns>A catalog bound to <paramref name="mlContext"/>.</returns>
    public static SiameseCatalog Siamese(this MLContext mlContext) => new(mlContext);
}
