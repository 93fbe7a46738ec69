using Microsoft.ML;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Data;
using MLNet.Siamese.Evaluation;
using MLNet.Siamese.Index;
using MLNet.Siamese.ModelFiles;

namespace MLNet.Siamese.Fuzz;

/// <summary>
/// One fuzz target per parser a stranger's file reaches. Each writes the input where the parser expects a file and
/// runs it; the documented refusals (<see cref="InvalidDataException"/>, <see cref="ArchiveRejectedException"/>, ...)
/// are the expected outcome, and anything else escaping is a finding. The same targets replay the seed corpus and every
/// kept crash in the test suite (FuzzRegressionTests), so a finding stays fixed.
/// </summary>
public static class FuzzTargets
{
    /// <summary>The target names, as given to <c>fuzz/run.sh</c>.</summary>
    public static readonly IReadOnlyList<string> Names = ["zip", "idx", "image", "runs", "model", "checkpoint", "index"];

    private static readonly Lazy<MLContext> Ml = new(() => new MLContext(seed: 1));

    /// <summary>Runs target <paramref name="name"/> on <paramref name="input"/> inside <paramref name="scratch"/> (a private, existing folder).</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="input">The fuzzer's bytes.</param>
    /// <param name="scratch">A folder the target may write into; emptied by the caller.</param>
    public static void Run(string name, byte[] input, string scratch)
    {
        try
        {
            switch (name)
            {
                case "zip":
                    string archive = Write(scratch, "input.zip", input);
                    var limits = new ZipExtractionLimits { MaxTotalBytes = 8 << 20, MaxEntryBytes = 4 << 20, MaxEntries = 1000 };
                    string folder = SafeZipExtractor.Extract(archive, Path.Combine(scratch, "cache"), limits);
                    SafeZipExtractor.Extract(archive, Path.Combine(scratch, "cache"), limits); // the cache check path
                    _ = ImageFolder.Scan(folder);
                    break;
                case "idx":
                    string idx = Write(scratch, "input-idx", input);
                    if (input.Length > 3 && input[3] == 1)
                        _ = IdxReader.ReadLabels(idx);
                    else
                        _ = IdxReader.ReadImages(idx);
                    break;
                case "image":
                    ImageFileCheck.Check(Write(scratch, "input.png", input));
                    break;
                case "runs":
                    string run = Path.Combine(scratch, "runs", "run01");
                    Directory.CreateDirectory(Path.Combine(run, "training"));
                    Directory.CreateDirectory(Path.Combine(run, "test"));
                    File.WriteAllBytes(Path.Combine(run, "training", "class01.png"), [0]);
                    File.WriteAllBytes(Path.Combine(run, "test", "item01.png"), [0]);
                    Write(run, OneShotRunsReader.ClassLabelsFileName, input);
                    _ = OneShotRunsReader.Read(Path.Combine(scratch, "runs"));
                    break;
                case "model":
                    string model = Write(scratch, "input-model.zip", input);
                    var loaded = SiameseModelFile.Load(Ml.Value, model, out _);
                    (loaded as IDisposable)?.Dispose();
                    break;
                case "checkpoint":
                    _ = TrainingCheckpoint.Load(Write(scratch, "input.mlnsckpt", input));
                    break;
                case "index":
                    _ = SimilarityIndex.Load(Write(scratch, "input.index", input));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown fuzz target; see FuzzTargets.Names.");
            }
        }
        catch (Exception e) when (IsDocumentedRefusal(e))
        {
        }
    }

    /// <summary>The exceptions the parsers document for bad input.</summary>
    /// <param name="e">What a target threw.</param>
    /// <returns>True when it is a documented refusal, not a finding.</returns>
    public static bool IsDocumentedRefusal(Exception e) =>
        e is InvalidDataException or ArchiveRejectedException or FileNotFoundException or DirectoryNotFoundException
            or FormatException;

    private static string Write(string folder, string name, byte[] bytes)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
