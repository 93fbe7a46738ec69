using System.Text.RegularExpressions;

namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Reads the standard Omniglot one-shot runs of Lake et al. (the <c>all_runs</c> folder): a folder holding
/// <c>run01</c> .. <c>runNN</c>, each with <c>class_labels.txt</c> whose lines read
/// <c>runNN/test/itemMM.png runNN/training/classKK.png</c>, paths relative to the folder holding the runs.
/// </summary>
/// <remarks>
/// A run's training images are the training images named in its class_labels.txt together with any other image file
/// (png, jpg, jpeg, bmp, gif, webp) in its <c>training</c> subfolder, sorted by path; its test images are in line
/// order. Blank lines are ignored. Paths must stay inside the runs folder: absolute paths, <c>..</c> escapes and
/// control characters (a NUL, found by fuzzing, made .NET throw an ArgumentException naming no file) are refused. Errors name the file and, for a bad line, its 1-based line number.
/// </remarks>
public static partial class OneShotRunsReader
{
    /// <summary>The name of the answer file inside each run folder.</summary>
    public const string ClassLabelsFileName = "class_labels.txt";

    private static readonly IReadOnlyList<string> ImageExtensions = MLNet.Siamese.Data.ImageFolderOptions.DecodableExtensions;

    /// <summary>Reads every run folder (<c>run</c> followed by digits) of <paramref name="folder"/>, in name order.</summary>
    /// <param name="folder">The folder holding the run folders.</param>
    /// <returns>The runs, with absolute image paths.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No run folders, or a malformed line (the message names file and line).</exception>
    /// <exception cref="FileNotFoundException">A class_labels.txt or a referenced image is missing (the message names the file and line).</exception>
    public static IReadOnlyList<OneShotRun> Read(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"The one-shot runs folder '{root}' does not exist.");
        string[] runFolders = Directory.GetDirectories(root)
            .Where(d => RunFolderName().IsMatch(Path.GetFileName(d)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (runFolders.Length == 0)
            throw new InvalidDataException($"The folder '{root}' holds no run folders (run01, run02, ...).");
        return runFolders.Select(r => ReadRun(root, r)).ToArray();
    }

    private static OneShotRun ReadRun(string root, string runFolder)
    {
        string name = Path.GetFileName(runFolder);
        string labelsFile = Path.Combine(runFolder, ClassLabelsFileName);
        if (!File.Exists(labelsFile))
            throw new FileNotFoundException($"Run '{name}' has no {ClassLabelsFileName}: '{labelsFile}' does not exist.", labelsFile);

        var tests = new List<string>();
        var answers = new List<string>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(labelsFile))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string[] tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length != 2)
                throw new InvalidDataException($"{labelsFile}({lineNumber}): expected two paths 'test-image training-image' but found {tokens.Length} token(s): '{line.Trim()}'.");
            tests.Add(Resolve(root, tokens[0], labelsFile, lineNumber));
            answers.Add(Resolve(root, tokens[1], labelsFile, lineNumber));
        }
        if (tests.Count == 0) throw new InvalidDataException($"{labelsFile}: the file lists no test images.");

        var training = new SortedSet<string>(answers, StringComparer.Ordinal);
        string trainingFolder = Path.Combine(runFolder, "training");
        if (Directory.Exists(trainingFolder))
        {
            foreach (string file in Directory.EnumerateFiles(trainingFolder))
            {
                if (ImageExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)) training.Add(Path.GetFullPath(file));
            }
        }
        string[] trainingImages = training.ToArray();
        int[] correct = answers.Select(a => Array.BinarySearch(trainingImages, a, StringComparer.Ordinal)).ToArray();
        return new OneShotRun(name, tests, trainingImages, correct);
    }

    private static string Resolve(string root, string relative, string labelsFile, int lineNumber)
    {
        if (relative.Any(char.IsControl))
            throw new InvalidDataException($"{labelsFile}({lineNumber}): the image path '{relative.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a control character (such as NUL).");
        string normalized = relative.Replace('\\', Path.DirectorySeparatorChar);
        if (Path.IsPathRooted(normalized))
            throw new InvalidDataException($"{labelsFile}({lineNumber}): the image '{relative}' is an absolute path; paths must be relative to the runs folder '{root}'.");
        string path = Path.GetFullPath(Path.Combine(root, normalized));
        string rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (!path.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            throw new InvalidDataException($"{labelsFile}({lineNumber}): the image '{relative}' lies outside the runs folder '{root}'.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{labelsFile}({lineNumber}): the image '{relative}' does not exist ('{path}').", path);
        return path;
    }

    [GeneratedRegex(@"^run\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex RunFolderName();
}
