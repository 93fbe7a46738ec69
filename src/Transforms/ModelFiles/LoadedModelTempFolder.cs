using System.Collections.Concurrent;
using Microsoft.ML;
using MLNet.Siamese.Files;

namespace MLNet.Siamese.ModelFiles;

/// <summary>
/// Where ML.NET's copies of ONNX graphs go when it is given them as bytes (a loaded zip's graphs, an identifier's
/// gallery head): one <see cref="OwnedTempFolder"/> per process under the context's <see cref="MLContext.TempFilePath"/>. ML.NET deletes a copy when its transformer is disposed and never
/// otherwise (its finalizer does not run at exit), so a process that loads a photo model and ends without disposing it
/// left a 64 MB file behind; in this folder it goes when the process exits, or after a kill when a later process loads.
/// </summary>
internal static class LoadedModelTempFolder
{
    /// <summary>The start of the folder's name.</summary>
    public const string Prefix = "mlnet-siamese-loaded-";

    private static readonly ConcurrentDictionary<string, Lazy<OwnedTempFolder>> Folders = new(StringComparer.Ordinal);
    private static readonly object Swap = new();

    /// <summary>
    /// Runs <paramref name="load"/> with <paramref name="mlContext"/>'s <see cref="MLContext.TempFilePath"/> pointing at
    /// this process's folder, and puts the setting back afterwards. Loads through this method are serialized, so two of
    /// them never interleave their changes to one context.
    /// </summary>
    /// <typeparam name="T">What <paramref name="load"/> returns.</typeparam>
    /// <param name="mlContext">The context whose temporary path ML.NET reads while loading.</param>
    /// <param name="load">The load.</param>
    /// <returns>What <paramref name="load"/> returned.</returns>
    public static T Run<T>(MLContext mlContext, Func<T> load)
    {
        lock (Swap)
        {
            string previous = mlContext.TempFilePath;
            string root = string.IsNullOrEmpty(previous) ? Path.GetTempPath() : previous;
            string full = Path.GetFullPath(root);
            mlContext.TempFilePath = Folders.GetOrAdd(full, r => new Lazy<OwnedTempFolder>(() => OwnedTempFolder.Create(r, Prefix))).Value.Path;
            try
            {
                return load();
            }
            finally
            {
                mlContext.TempFilePath = previous;
            }
        }
    }
}
