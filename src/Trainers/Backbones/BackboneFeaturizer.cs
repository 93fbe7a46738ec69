using System.Diagnostics;
using MLNet.Siamese.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MLNet.Siamese.Backbones;

/// <summary>
/// The ML.NET chain that turns image paths into a <see cref="PretrainedBackbone"/>'s features (LoadImages, ResizeImages to
/// the backbone's side keeping the aspect ratio and cropping the centre, ExtractPixels as 0..255 RGB planes,
/// DnnFeaturizeImage), and the one-pass featurization of a
/// training set with it. Every column is written over in place, so for a pair of columns each side's intermediate
/// columns are shadowed by the next, as in <see cref="ImagePreprocessing"/>.
/// </summary>
internal static class BackboneFeaturizer
{
    private const string InputColumn = "ImagePath";
    private const string OutputColumn = "Features";

    /// <summary>The featurizing chain for one or more (output features, input image path) column pairs.</summary>
    public static EstimatorChain<ITransformer> CreateEstimator(MLContext context, PretrainedBackbone backbone, string? imageFolder,
        params InputOutputColumnPair[] columns)
        => CreateEstimator(context, backbone, imageFolder, loadImages: true, columns);

    /// <summary>
    /// The featurizing chain; with <paramref name="loadImages"/> false the input columns already hold decoded images
    /// (<c>MLImage</c>, from ML.NET's LoadImages) and the chain starts at ResizeImages.
    /// </summary>
    public static EstimatorChain<ITransformer> CreateEstimator(MLContext context, PretrainedBackbone backbone, string? imageFolder,
        bool loadImages, params InputOutputColumnPair[] columns)
    {
        string models = backbone.ResolveModelDirectory();
        string main = Path.Combine(models, "ResNet18Onnx", "ResNet18.onnx");
        if (backbone.Name != PretrainedBackbone.ResNet18.Name)
            throw new NotSupportedException($"Backbone '{backbone.Name}' is not supported; use PretrainedBackbone.ResNet18.");
        if (!File.Exists(main))
            throw new FileNotFoundException($"The {backbone.Name} model '{main}' does not exist. Reference the package Microsoft.ML.DnnImageFeaturizer.ResNet18 in the application (it copies DnnImageModels/ to the output folder) or set PretrainedBackbone.ModelDirectory.", main);
        var images = context.Transforms;
        string? folder = string.IsNullOrEmpty(imageFolder) ? null : imageFolder;
        var chain = new EstimatorChain<ITransformer>();
        foreach (var pair in columns)
        {
            string output = pair.OutputColumnName;
            chain = AppendPixels(context, chain, pair, backbone.ImageSize, folder, loadImages)
                .Append<ITransformer>(images.DnnFeaturizeImage(output, m => m.ModelSelector.ResNet18(context, m.OutputColumn, m.InputColumn, models), output));
        }
        return chain;
    }

    /// <summary>
    /// The chain that feeds a backbone built into the network (fine-tuning): for each (output, image path) column pair,
    /// LoadImages, ResizeImages to <paramref name="imageSize"/> keeping the aspect ratio and cropping the centre, and
    /// ExtractPixels as 0..255 RGB planes, exactly as <c>CreateEstimator</c> feeds <c>DnnFeaturizeImage</c>.
    /// </summary>
    public static EstimatorChain<ITransformer> CreatePixelEstimator(MLContext context, int imageSize, string? imageFolder, params InputOutputColumnPair[] columns)
        => CreatePixelEstimator(context, imageSize, imageFolder, loadImages: true, columns);

    /// <summary>The same chain; with <paramref name="loadImages"/> false the inputs hold images decoded by LoadImages.</summary>
    public static EstimatorChain<ITransformer> CreatePixelEstimator(MLContext context, int imageSize, string? imageFolder, bool loadImages, params InputOutputColumnPair[] columns)
    {
        string? folder = string.IsNullOrEmpty(imageFolder) ? null : imageFolder;
        var chain = new EstimatorChain<ITransformer>();
        foreach (var pair in columns) chain = AppendPixels(context, chain, pair, imageSize, folder, loadImages);
        return chain;
    }

    private static EstimatorChain<ITransformer> AppendPixels(MLContext context, EstimatorChain<ITransformer> chain, InputOutputColumnPair pair, int size, string? folder, bool loadImages = true)
    {
        var images = context.Transforms;
        string output = pair.OutputColumnName;
        string resizeInput = pair.InputColumnName;
        if (loadImages)
        {
            chain = chain.Append<ITransformer>(images.LoadImages(output, folder, pair.InputColumnName));
            resizeInput = output;
        }
        return chain
            .Append<ITransformer>(images.ResizeImages(output, size, size, resizeInput, ImageResizingEstimator.ResizingKind.IsoCrop, ImageResizingEstimator.Anchor.Center))
            .Append<ITransformer>(images.ExtractPixels(output, output, ImagePixelExtractingEstimator.ColorBits.Rgb, interleavePixelColors: false));
    }

    /// <summary>
    /// Decodes image files, in order, as <c>CreatePixelEstimator</c> does, into one array of
    /// <c>paths.Count * 3 * imageSize * imageSize</c> values (0..255).
    /// </summary>
    /// <exception cref="FileNotFoundException">A file does not exist; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is empty, not an image, truncated or too large; the message names it.</exception>
    public static float[] DecodePixels(MLContext context, int imageSize, IReadOnlyList<string> paths)
    {
        var resolved = Resolve(paths);
        int length = 3 * imageSize * imageSize;
        if ((long)resolved.Length * length > Array.MaxLength)
            throw new InvalidOperationException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{resolved.Length} images of 3x{imageSize}x{imageSize} are {(long)resolved.Length * length} values, more than one array holds ({Array.MaxLength}): train on at most {Array.MaxLength / length} images at {imageSize} px, or at a smaller size."));
        var model = CreatePixelEstimator(context, imageSize, null, new InputOutputColumnPair(OutputColumn, InputColumn)).Fit(View(context, resolved));
        var result = new float[(long)resolved.Length * length];
        int row = 0;
        try
        {
            ReadRows(model.Transform(View(context, resolved)), length, (r, values) => values.CopyTo(result.AsSpan(checked(r * length), length)), ref row);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not InvalidDataException)
        {
            string file = FindFailing(context, model, resolved, row, length) ?? $"one of the {resolved.Length - row} files from '{resolved[Math.Min(row, resolved.Length - 1)]}'";
            throw new InvalidDataException($"Image file {file} could not be decoded: {(e.InnerException ?? e).Message}", e);
        }
        return result;
    }

    private static string[] Resolve(IReadOnlyList<string> paths)
    {
        var resolved = new string[paths.Count];
        for (int i = 0; i < paths.Count; i++)
        {
            resolved[i] = Path.GetFullPath(paths[i] ?? throw new ArgumentException($"Path {i} is null.", nameof(paths)));
            if (!File.Exists(resolved[i]))
                throw new FileNotFoundException($"Image file '{resolved[i]}' does not exist.", resolved[i]);
            ImageFileCheck.Check(resolved[i]);
        }
        return resolved;
    }

    /// <summary>Most feature vectors kept by the per-process cache (about 2 KB each for ResNet18) before it is emptied.</summary>
    private const int CacheCapacity = 100_000;

    private static readonly Dictionary<(string Backbone, string Path, long Length, DateTime Written), float[]> Cache = new();

    /// <summary>
    /// Featurizes image files, in order, into one array of <c>paths.Count * FeatureDimension</c> values. A file's features
    /// are computed once per process: they are cached under its full path, length and modification time (and the backbone),
    /// so training again on the same files (another objective, another seed) does not run the backbone again.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file does not exist; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is empty, not an image, truncated or too large; the message names it.</exception>
    public static float[] Featurize(MLContext context, PretrainedBackbone backbone, IReadOnlyList<string> paths, out TimeSpan elapsed)
    {
        var clock = Stopwatch.StartNew();
        int length = backbone.FeatureDimension;
        var resolved = Resolve(paths);
        var result = new float[(long)paths.Count * length];
        var keys = resolved.Select(p => { var info = new FileInfo(p); return (backbone.Name, p, info.Length, info.LastWriteTimeUtc); }).ToArray();
        var missing = new List<string>();
        lock (Cache)
            missing.AddRange(keys.Where(k => !Cache.ContainsKey(k)).Select(k => k.p).Distinct(StringComparer.Ordinal));
        var computed = missing.Count == 0 ? [] : Compute(context, backbone, missing.ToArray(), length);
        lock (Cache)
        {
            for (int i = 0; i < keys.Length; i++)
                (computed.TryGetValue(keys[i].p, out var features) ? features : Cache[keys[i]]).CopyTo(result.AsSpan(i * length, length));
            if (Cache.Count + computed.Count > CacheCapacity) Cache.Clear();
            foreach (var key in keys)
                if (computed.TryGetValue(key.p, out var features)) Cache[key] = features;
        }
        elapsed = clock.Elapsed;
        return result;
    }

    private static Dictionary<string, float[]> Compute(MLContext context, PretrainedBackbone backbone, string[] resolved, int length)
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        // Disposed after use: its ONNX Runtime session holds the backbone (hundreds of MB) until then, and training
        // featurizes its training and held-out parts one after the other.
        using var model = CreateEstimator(context, backbone, null, new InputOutputColumnPair(OutputColumn, InputColumn)).Fit(View(context, resolved));
        int row = 0;
        try
        {
            ReadRows(model.Transform(View(context, resolved)), length, (r, values) => result[resolved[r]] = values.ToArray(), ref row);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not InvalidDataException)
        {
            // ML.NET may decode ahead of the cursor: find the failing file by featurizing from the current row one at a time.
            string file = FindFailing(context, model, resolved, row, length) ?? $"one of the {resolved.Length - row} files from '{resolved[Math.Min(row, resolved.Length - 1)]}'";
            throw new InvalidDataException($"Image file {file} could not be featurized by {backbone.Name}: {(e.InnerException ?? e).Message}", e);
        }
        if (row != resolved.Length)
            throw new InvalidOperationException($"Featurized {row} images instead of {resolved.Length}.");
        return result;
    }

    /// <summary>What to do with one row's vector: it is only valid during the call.</summary>
    private delegate void RowValues(int row, ReadOnlySpan<float> values);

    /// <summary>
    /// Hands every row's vector to <paramref name="use"/> without an array per row (at 224 px each would be 600 KB of
    /// garbage); <paramref name="row"/> counts the rows read, so a failure says where it stopped.
    /// </summary>
    private static void ReadRows(IDataView view, int length, RowValues use, ref int row)
    {
        var column = view.Schema[OutputColumn];
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        float[]? dense = null;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            if (buffer.Length != length)
                throw new InvalidDataException($"The backbone gave {buffer.Length} values instead of {length}.");
            if (buffer.IsDense)
            {
                use(row, buffer.GetValues());
            }
            else
            {
                dense ??= new float[length];
                buffer.CopyTo(dense);
                use(row, dense);
            }
            row++;
        }
    }

    private static string? FindFailing(MLContext context, ITransformer model, string[] paths, int start, int length)
    {
        for (int i = Math.Max(0, start); i < paths.Length; i++)
        {
            try
            {
                int read = 0;
                ReadRows(model.Transform(View(context, [paths[i]])), length, (_, _) => { }, ref read);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return $"'{paths[i]}'";
            }
        }
        return null;
    }

    private static IDataView View(MLContext context, IEnumerable<string> paths)
        => context.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }));

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
