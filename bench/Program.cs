using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNet.Siamese.Bench;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Runtime;
using TorchSharp;

// MLNet.Siamese performance benchmark. Every ratio compares two figures measured side by side in this run.
//   dotnet run -c Release --project bench [-- --out results.json] [--only training] [--compact-interval K] [--mlp-interval K] [--koch-interval K]
//   dotnet run -c Release --project bench -- --only photos [--photo-configs 224:1,160:1] [--photo-interval K] [--out FILE]
//       Only the photo rows: ResNet18 images/s through ML.NET vs raw ONNX Runtime; fine-tuning trainer vs minimal loop.
//   dotnet run -c Release --project bench -- --only identification [--out FILE]
//       Only the identification rows (gallery in the zip at 1k/10k/100k items vs SimilarityIndex and faiss IndexFlatL2).
//   dotnet run -c Release --project bench -- --long-memory [--iterations N] [--out FILE]
//       Only the memory figure, over the full long run (5,000 seed-MLP iterations unless N is given, never shortened);
//       writes bench/results-long-memory.json by default.
// Internal: --child-step-time default|tuned (run by the allocator comparison in a child process).
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int childIndex = Array.IndexOf(args, "--child-step-time");
if (childIndex >= 0)
{
    if (childIndex + 1 >= args.Length) throw new ArgumentException("--child-step-time needs 'default' or 'tuned'.");
    TorchRuntime.EnsureAvailable();
    return AllocatorBench.RunChild(args[childIndex + 1]);
}
bool longMemory = args.Contains("--long-memory");
int outIndex = Array.IndexOf(args, "--out");
string outPath = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1]
    : Path.Combine(FindBenchFolder(), longMemory ? "results-long-memory.json" : "results.json");
int longIterations = IntArg("--iterations", MemoryBench.LongRunIterations);
int onlyIndex = Array.IndexOf(args, "--only");
string? only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : null;
if (only is not null and not "training" and not "identification" and not "photos") throw new ArgumentException($"--only takes 'training' (data path, matmul and the trainer-vs-loop section), 'identification' or 'photos', not '{only}'.");
if (longIterations < 400 || longIterations % 100 != 0)
    throw new ArgumentException($"--iterations must be a multiple of 100, at least 400 (got {longIterations}).");

var total = Stopwatch.StartNew();
var results = new Results();
string scratch = Path.Combine(Path.GetTempPath(), "mlnet-siamese-bench-" + Environment.ProcessId);
Directory.CreateDirectory(scratch);
try
{
    TorchRuntime.EnsureAvailable();
    if (longMemory)
    {
        var longMl = new MLContext(seed: 1);
        DescribeEnvironment(results, NativeMemoryTuning.Apply());
        var items = MemoryBench.DecodeSmall1(longMl, scratch);
        Console.WriteLine($"Memory, long run: {longIterations} seed-MLP iterations at batch 180 on {items.Count} Omniglot images...");
        MemoryBench.Run(longMl, results, items.Features, items.Labels, longIterations, longRun: true);
        return Finish();
    }
    if (only is null)
    {
        Console.WriteLine("Allocator: compact step (batch 128 pairs) in child processes, glibc defaults vs NativeMemoryTuning...");
        double defaultMs = AllocatorBench.LaunchChild("default");
        double tunedMs = AllocatorBench.LaunchChild("tuned");
        results.Add(new Figure("allocator", "compact b128: ms/step, mallopt tuning vs glibc defaults", tunedMs, "ms/step", defaultMs, "glibc default ms/step", 1.0,
            $"speed-up {defaultMs / tunedMs:F1}x; minimal loop, synthetic 28x28, each case in its own child process", AtMost: true));
    }

    // Same allocator settings for everything below (the trainer applies them on its first Fit anyway).
    bool tuned = NativeMemoryTuning.Apply();
    var ml = new MLContext(seed: 1);
    DescribeEnvironment(results, tuned);
    if (only == "identification")
    {
        Console.WriteLine("Identification: gallery in the zip at 1k / 10k / 100k items, vs SimilarityIndex and faiss...");
        IdentificationBench.RunStandalone(ml, results, scratch);
        return Finish();
    }
    if (only == "photos")
    {
        Console.WriteLine("Photos: ResNet18 through ML.NET vs raw ONNX Runtime; fine-tuning trainer vs minimal loop...");
        FineTuneBench.Run(ml, results, FindPhotoFolder(), PhotoConfigurations(), IntArg("--photo-interval", 3), IntArg("--photo-intervals", 4));
        return Finish();
    }
    results.Methods.Add("Trainer steps/s: a synchronous IProgress stamps the clock at every report (ProgressInterval = k); steps/s = k / time between consecutive reports, the first interval (warm-up) discarded, so data reading, calibration and ONNX export are excluded. Median over the intervals of one Fit call.");
    results.Methods.Add("Minimal loop: new EmbeddingNetwork(spec), Adam(1e-3, 0.9, 0.99), index_select of random pairs from a resident tensor, contrastive loss, backward, step, one dispose scope per step; k warm-up steps. Its intervals of k steps run inside the trainer's progress reports, so trainer and loop alternate interval by interval (robust to load changes on a shared machine); the trainer's clock restarts after each loop interval.");
    results.Methods.Add("FLOPs: conv 2*Cin*k*k*Cout*Hout*Wout, linear 2*in*out per item; a training step = 3 x forward x 2 x pairs. Reference: median time of torch.matmul of two 2048x2048 float32 matrices.");
    results.Methods.Add("Scoring: feature-vector compact model (no image decoding on either side); saved with ml.Model.Save and loaded with ml.Model.Load; TorchSharp reference = EmbeddingNetwork in eval mode under no_grad on the same vectors; medians of 3 after 1 warm-up.");
    results.Methods.Add("Allocator: each case in a child process (this program with --child-step-time default|tuned), because mallopt is process-wide and irreversible.");

    Console.WriteLine("Data path: Omniglot small1 from folder and from zip...");
    var decoded = DataPathBench.Run(ml, results, scratch);

    Console.WriteLine("Hardware reference: matmul...");
    double matmul = TrainingBench.MatmulGflops(results);

    Console.WriteLine("Training overhead: trainer vs minimal loop...");
    int mlpInterval = IntArg("--mlp-interval", 25);
    var (compact, _) = TrainingBench.Run(ml, results, new TrainingBench.Preset("compact 28x28", NetworkPresets.Compact(28, 64), 64, IntArg("--compact-interval", 10), 4, decoded.Features, decoded.Labels), matmul);
    var (_, mlpRate) = TrainingBench.Run(ml, results, new TrainingBench.Preset("seed mlp 784-1024-1024-2", NetworkPresets.SeedMlp(28, 2), 180, mlpInterval, 4, decoded.Features, decoded.Labels), matmul);
    const int kochItems = 40;
    TrainingBench.Run(ml, results, new TrainingBench.Preset("koch 105x105", NetworkPresets.Koch(105), 4, IntArg("--koch-interval", 3), 4,
        SyntheticData.Random(kochItems, 105 * 105, 5), SyntheticData.Labels(kochItems, 10)), matmul);

    if (only is null)
    {
        Console.WriteLine("Scoring: saved model vs TorchSharp forward...");
        ScoringBench.Run(ml, results, compact, decoded.Features, decoded.Count, scratch);
        IdentificationBench.Run(ml, results, compact, decoded.Features, decoded.Count, scratch);

        int memoryIterations = MemoryBench.PlannedIterations(mlpRate);
        Console.WriteLine($"Memory: {memoryIterations} seed-MLP iterations at batch 180...");
        MemoryBench.Run(ml, results, decoded.Features, decoded.Labels, memoryIterations);

        Console.WriteLine("Scale: batch size and data set size...");
        ScaleBench.BatchSweep(ml, results, decoded.Features, decoded.Labels, matmul);
        ScaleBench.DataSizeSweep(ml, results);

        Console.WriteLine("Photos: ResNet18 through ML.NET vs raw ONNX Runtime; fine-tuning trainer vs minimal loop...");
        FineTuneBench.Run(ml, results, FindPhotoFolder(), PhotoConfigurations(), IntArg("--photo-interval", 3), IntArg("--photo-intervals", 4));
    }
}
finally
{
    try { Directory.Delete(scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}
return Finish();

int Finish()
{
    results.Environment["load_average_at_end"] = LoadAverage();
    results.Environment["total_seconds"] = total.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
    Console.WriteLine();
    foreach (var (key, value) in results.Environment) Console.WriteLine($"{key}: {value}");
    Console.WriteLine();
    Console.WriteLine(results.Table());
    Console.WriteLine("Method:");
    foreach (var m in results.Methods) Console.WriteLine(" - " + m);
    results.WriteJson(outPath);
    Console.WriteLine($"Wrote {outPath}; total {total.Elapsed.TotalSeconds:F0} s.");
    return 0;
}

int IntArg(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static void DescribeEnvironment(Results results, bool tuned)
{
    results.Environment["machine"] = $"{Environment.ProcessorCount} logical CPUs, {Environment.OSVersion}, .NET {Environment.Version}";
    results.Environment["torch"] = $"TorchSharp 0.107 / libtorch {torch.__version__}, {torch.get_num_threads()} intra-op threads, CUDA available: {torch.cuda.is_available()}";
    results.Environment["load_average_at_start"] = LoadAverage();
    results.Environment["allocator"] = tuned ? "NativeMemoryTuning applied (M_MMAP_MAX=0, M_TRIM_THRESHOLD=max)" : "NativeMemoryTuning not applied";
}

// --photo-configs 224:1,160:1 : image side and fine-tuned stages of each fine-tuning row (default: the photos recipe's).
List<(int Size, int Stages)> PhotoConfigurations()
{
    int i = Array.IndexOf(args, "--photo-configs");
    string text = i >= 0 && i + 1 < args.Length ? args[i + 1] : "224:1";
    return text.Split(',').Select(c => c.Split(':')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
}

static string FindPhotoFolder()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (Directory.Exists(Path.Combine(dir.FullName, "data", "caltech101"))) return Path.Combine(dir.FullName, "data", "caltech101");
    throw new DirectoryNotFoundException("data/caltech101 not found above the bench program.");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

static string FindBenchFolder()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "bench", "MLNet.Siamese.Bench.csproj"))) return Path.Combine(dir.FullName, "bench");
        if (File.Exists(Path.Combine(dir.FullName, "MLNet.Siamese.Bench.csproj"))) return dir.FullName;
    }
    return Environment.CurrentDirectory;
}
