using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MLNet.Siamese.Data;

/// <summary>
/// Image preprocessing built only from ML.NET ImageAnalytics transforms (so a saved model needs no custom code):
/// LoadImages, ResizeImages, ConvertToGrayscale (grayscale only) and ExtractPixels, giving a float vector of
/// Channels*Height*Width values in 0..1 per image (colour: the red plane, then green, then blue).
/// </summary>
/// <remarks>
/// ML.NET's ExtractPixels computes <c>(pixel - offsetImage) * scaleImage</c>. Plain scaling uses offset 0 and
/// scale 1/255; inversion (<see cref="ImagePreprocessingOptions.Invert"/>) uses offset 255 and scale -1/255,
/// i.e. <c>1 - pixel/255</c>. Grayscale (<see cref="ImagePreprocessingOptions.Channels"/> 1): only the red channel of
/// the grayscale image is extracted (all three are equal). Colour (3): red, green and blue, planar (not interleaved).
/// Each output column is written over in place, so no intermediate image column stays visible in the schema.
/// </remarks>
public static class ImagePreprocessing
{
    /// <summary>
    /// Most pixels (width x height) an image may claim for <see cref="DecodeToArray"/>: 64 Mi (e.g. 8192 x 8192).
    /// Larger claims are refused from the header, before anything is allocated.
    /// </summary>
    public const long MaxImagePixels = 1L << 26;

    private const string DecodeInputColumn = "ImagePath";
    private const string DecodeOutputColumn = "Features";

    /// <summary>Builds the preprocessing chain for one or more (output, input) column pairs.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="options">Size, inversion and image folder.</param>
    /// <param name="columns">Pairs of output feature column and input image-path column, e.g.
    /// (<c>LeftFeatures</c>, <c>LeftImagePath</c>) and (<c>RightFeatures</c>, <c>RightImagePath</c>).</param>
    /// <returns>The estimator chain.</returns>
    public static EstimatorChain<ITransformer> CreateEstimator(MLContext mlContext, ImagePreprocessingOptions options,
        params InputOutputColumnPair[] columns)
        => Build(mlContext, options, loadImages: true, columns);

    /// <summary>
    /// Builds the same chain for input columns that already hold decoded images (ML.NET's <c>MLImage</c>, as
    /// <c>mlContext.Transforms.LoadImages</c> makes them): ResizeImages, ConvertToGrayscale (grayscale only) and
    /// ExtractPixels, without LoadImages. <see cref="ImagePreprocessingOptions.ImageFolder"/> is not used.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="options">Size, channels and inversion.</param>
    /// <param name="columns">Pairs of output feature column and input image column.</param>
    /// <returns>The estimator chain.</returns>
    public static EstimatorChain<ITransformer> CreateEstimatorFromImages(MLContext mlContext, ImagePreprocessingOptions options,
        params InputOutputColumnPair[] columns)
        => Build(mlContext, options, loadImages: false, columns);

    private static EstimatorChain<ITransformer> Build(MLContext mlContext, ImagePreprocessingOptions options, bool loadImages,
        InputOutputColumnPair[] columns)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(columns);
        options.Validate();
        if (columns.Length == 0)
            throw new ArgumentException("At least one (output, input) column pair is needed.", nameof(columns));

        var images = mlContext.Transforms;
        float offset = options.Invert ? 255f : 0f;
        float scale = options.Invert ? -1f / 255f : 1f / 255f;
        string? folder = string.IsNullOrEmpty(options.ImageFolder) ? null : options.ImageFolder;

        var chain = new EstimatorChain<ITransformer>();
        foreach (var pair in columns)
        {
            ArgumentNullException.ThrowIfNull(pair);
            string output = pair.OutputColumnName;
            string resizeInput = pair.InputColumnName;
            if (loadImages)
            {
                chain = chain.Append<ITransformer>(images.LoadImages(output, folder, pair.InputColumnName));
                resizeInput = output;
            }
            chain = chain.Append<ITransformer>(images.ResizeImages(output, options.Width, options.Height, resizeInput, ImageResizingEstimator.ResizingKind.Fill));
            if (options.Channels == 1)
                chain = chain.Append<ITransformer>(images.ConvertToGrayscale(output, output));
            var bits = options.Channels == 1 ? ImagePixelExtractingEstimator.ColorBits.Red : ImagePixelExtractingEstimator.ColorBits.Rgb;
            chain = chain.Append<ITransformer>(images.ExtractPixels(output, output, bits, interleavePixelColors: false,
                offsetImage: offset, scaleImage: scale, outputAsFloatArray: true));
        }
        return chain;
    }

    /// <summary>
    /// Decodes image files once into one contiguous array of <c>paths.Count * Channels * Height * Width</c> values
    /// (image after image, channel planes, row-major), using the same ML.NET chain as <see cref="CreateEstimator"/>, so a trainer can
    /// build its tensor in one go.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="paths">Image files (absolute, or relative to <see cref="ImagePreprocessingOptions.ImageFolder"/>).</param>
    /// <param name="options">Size, inversion and image folder.</param>
    /// <returns>The values, in the order of <paramref name="paths"/>.</returns>
    /// <exception cref="FileNotFoundException">A file does not exist; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is empty, not an image, truncated, or claims more than
    /// <see cref="MaxImagePixels"/> pixels; the message names it.</exception>
    public static float[] DecodeToArray(MLContext mlContext, IReadOnlyList<string> paths, ImagePreprocessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int length = options.FeatureLength;
        if ((long)paths.Count * length > Array.MaxLength)
            throw new ArgumentException($"{paths.Count} images of {length} values do not fit in one array.", nameof(paths));

        var resolved = new string[paths.Count];
        for (int i = 0; i < paths.Count; i++)
        {
            string path = paths[i] ?? throw new ArgumentException($"Path {i} is null.", nameof(paths));
            resolved[i] = Path.GetFullPath(string.IsNullOrEmpty(options.ImageFolder) ? path : Path.Combine(options.ImageFolder, path));
            if (!File.Exists(resolved[i]))
                throw new FileNotFoundException($"Image file '{resolved[i]}' does not exist.", resolved[i]);
            ImageFileCheck.Check(resolved[i]);
        }

        var result = new float[(long)paths.Count * length];
        if (paths.Count == 0)
            return result;

        const string input = DecodeInputColumn, output = DecodeOutputColumn;
        IDataView data = mlContext.Data.LoadFromEnumerable(resolved.Select(p => new PathRow { ImagePath = p }));
        var pixelOptions = options with { ImageFolder = null };
        ITransformer model = CreateEstimator(mlContext, pixelOptions, new InputOutputColumnPair(output, input)).Fit(data);
        IDataView transformed = model.Transform(data);

        var column = transformed.Schema[output];
        using DataViewRowCursor cursor = transformed.GetRowCursor([column]);
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        int row = 0;
        while (true)
        {
            try
            {
                if (!cursor.MoveNext())
                    break;
                getter(ref buffer);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // ML.NET decodes ahead of the cursor, so the failing file is not necessarily the current row:
                // find it by decoding the remaining files one at a time.
                Exception cause = e is InvalidOperationException && e.InnerException is { } inner ? inner : e;
                int bad = FindUndecodable(mlContext, model, resolved, row);
                string file = bad >= 0 ? resolved[bad] : $"(one of {resolved.Length - row} files starting at '{resolved[row]}')";
                throw new InvalidDataException($"Image file {(bad >= 0 ? $"'{file}'" : file)} could not be decoded: {cause.Message}", e);
            }
            if (buffer.Length != length)
                throw new InvalidDataException($"Image file '{resolved[row]}' gave {buffer.Length} values instead of {length}.");
            Span<float> target = result.AsSpan(row * length, length);
            if (buffer.IsDense)
            {
                buffer.GetValues().CopyTo(target);
            }
            else
            {
                int k = 0;
                foreach (float v in buffer.DenseValues())
                    target[k++] = v;
            }
            row++;
        }
        if (row != resolved.Length)
            throw new InvalidOperationException($"Decoded {row} images instead of {resolved.Length}.");
        return result;
    }

    private static int FindUndecodable(MLContext mlContext, ITransformer model, string[] paths, int start)
    {
        for (int i = Math.Max(0, start); i < paths.Length; i++)
        {
            try
            {
                IDataView one = model.Transform(mlContext.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = paths[i] } }));
                var column = one.Schema[DecodeOutputColumn];
                using DataViewRowCursor cursor = one.GetRowCursor([column]);
                ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
                VBuffer<float> buffer = default;
                while (cursor.MoveNext())
                    getter(ref buffer);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return i;
            }
        }
        return -1;
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
