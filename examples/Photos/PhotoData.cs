using MLNet.Siamese.Data;

namespace MLNet.Siamese.Examples.Photos;

/// <summary>The embedded Caltech-101 photos (data/caltech101) and the example's fixed split by class.</summary>
internal static class PhotoData
{
    /// <summary>Classes the model trains on: the first 35 in ordinal name order; the other 15 are never seen in training.</summary>
    public const int TrainingClasses = 35;

    /// <summary>Finds data/caltech101 in the current folder or above it, or above the program.</summary>
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data", "caltech101");
                if (Directory.Exists(candidate)) return candidate;
            }
        throw new DirectoryNotFoundException("data/caltech101 was not found above the current folder; run the example from the repository.");
    }

    /// <summary>The images of the training classes and of the unseen classes.</summary>
    public static (List<ImageFolderEntry> Train, List<ImageFolderEntry> Unseen) Split(string folder)
    {
        var all = ImageFolder.Scan(folder);
        var classes = all.Select(e => e.Label).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToList();
        var train = classes.Take(TrainingClasses).ToHashSet(StringComparer.Ordinal);
        return (all.Where(e => train.Contains(e.Label)).ToList(), all.Where(e => !train.Contains(e.Label)).ToList());
    }
}
