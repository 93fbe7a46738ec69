using System.Globalization;

namespace MLNet.Siamese.Checkpoints;

/// <summary>
/// The one naming of checkpoint files: "checkpoint-NNNNNN.mlnsckpt", the iteration zero-padded to six digits, so that
/// ordinal order is iteration order. Writers, the resume search and the CLI all read it from here.
/// </summary>
internal static class CheckpointFileName
{
    /// <summary>The file-name prefix.</summary>
    public const string Prefix = "checkpoint-";

    /// <summary>The file extension, with its dot.</summary>
    public const string Extension = ".mlnsckpt";

    /// <summary>The search pattern of checkpoint files, for <see cref="Directory.GetFiles(string, string)"/>.</summary>
    public const string SearchPattern = Prefix + "*" + Extension;

    /// <summary>The file name of the checkpoint of a given iteration, e.g. "checkpoint-000500.mlnsckpt".</summary>
    /// <param name="iteration">The iteration.</param>
    /// <returns>The file name.</returns>
    public static string Of(int iteration) => Prefix + iteration.ToString("D6", CultureInfo.InvariantCulture) + Extension;

    /// <summary>The checkpoint files of a folder, newest (highest iteration) first; none when the folder does not exist.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>Full paths.</returns>
    public static string[] NewestFirst(string directory)
        => Directory.Exists(directory)
            ? Directory.GetFiles(directory, SearchPattern).OrderByDescending(f => f, StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>The iteration in a checkpoint file name, or null when the name does not follow the pattern.</summary>
    /// <param name="path">A path or file name.</param>
    /// <returns>The iteration.</returns>
    public static int? IterationOf(string path)
    {
        string name = Path.GetFileName(path);
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(Extension, StringComparison.Ordinal)) return null;
        return int.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int iteration) ? iteration : null;
    }
}
