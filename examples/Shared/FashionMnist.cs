using Microsoft.ML;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.Examples.Shared;

/// <summary>
/// Data helper of this repository's examples, benchmarks and tests (linked as source; not part of the library).
/// Locates and loads Fashion-MNIST as installed by the Debian package <c>dataset-fashion-mnist</c>
/// (<see cref="DefaultDirectory"/>), or any folder holding the four standard IDX files, raw or gzip-compressed.
/// </summary>
internal static class FashionMnist
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the data.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The class names of Fashion-MNIST, indexed by the label digit ("0" is T-shirt/top).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Whether the four Fashion-MNIST files are present in <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder; <see langword="null"/> for <see cref="DefaultDirectory"/>.</param>
    /// <returns><see langword="true"/> when both the training and the test files were found.</returns>
    public static bool IsAvailable(string? directory = null) =>
        TryFind(directory, "train-images-idx3-ubyte") is not null && TryFind(directory, "train-labels-idx1-ubyte") is not null
        && TryFind(directory, "t10k-images-idx3-ubyte") is not null && TryFind(directory, "t10k-labels-idx1-ubyte") is not null;

    /// <summary>The image and label files of one split.</summary>
    /// <param name="train"><see langword="true"/> for the 60,000 training images, <see langword="false"/> for the 10,000 test images.</param>
    /// <param name="directory">The folder; <see langword="null"/> for <see cref="DefaultDirectory"/>.</param>
    /// <returns>The two paths.</returns>
    /// <exception cref="FileNotFoundException">A file is missing; the message says where it was looked for.</exception>
    public static (string ImagesPath, string LabelsPath) GetFiles(bool train = true, string? directory = null)
    {
        string prefix = train ? "train" : "t10k";
        return (Find(directory, $"{prefix}-images-idx3-ubyte"), Find(directory, $"{prefix}-labels-idx1-ubyte"));
    }

    /// <summary>Loads one split as <see cref="IdxReader.Load"/> does (<c>Features</c> in 0..1, <c>Label</c> "0".."9").</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="train"><see langword="true"/> for the training split, <see langword="false"/> for the test split.</param>
    /// <param name="directory">The folder; <see langword="null"/> for <see cref="DefaultDirectory"/>.</param>
    /// <returns>The data view.</returns>
    public static IDataView Load(MLContext mlContext, bool train = true, string? directory = null)
    {
        var (images, labels) = GetFiles(train, directory);
        return IdxReader.Load(mlContext, images, labels);
    }

    private static string Find(string? directory, string stem) =>
        TryFind(directory, stem) ?? throw new FileNotFoundException(
            $"Fashion-MNIST file '{stem}' (or '{stem}.gz') was not found in '{Path.GetFullPath(directory ?? DefaultDirectory)}'. " +
            "Install the Debian package dataset-fashion-mnist or give the folder holding the IDX files.",
            Path.Combine(directory ?? DefaultDirectory, stem + ".gz"));

    private static string? TryFind(string? directory, string stem)
    {
        string folder = Path.GetFullPath(directory ?? DefaultDirectory);
        foreach (string name in new[] { stem + ".gz", stem, stem.Replace("-idx", ".idx", StringComparison.Ordinal) + ".gz", stem.Replace("-idx", ".idx", StringComparison.Ordinal) })
        {
            string candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
