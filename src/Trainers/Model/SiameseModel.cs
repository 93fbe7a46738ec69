using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// A trained Siamese network, scored by ML.NET's own ONNX transformer: no TorchSharp or libtorch is needed to use
/// it or any zip saved from it. Two views of one network:
/// <list type="bullet">
/// <item><see cref="Embedder"/> (this transformer's own <see cref="Transform"/>): one item to its <c>Embedding</c>.</item>
/// <item><see cref="PairScorer"/>: two items to <c>Score</c>, <c>Distance</c>, <c>PredictedLabel</c>, <c>LeftEmbedding</c> and <c>RightEmbedding</c>.</item>
/// </list>
/// Both are ordinary ML.NET transformers: append them to pipelines, save them with <c>mlContext.Model.Save</c>,
/// load them with <c>mlContext.Model.Load</c>, and score with a PredictionEngine.
/// </summary>
public sealed class SiameseModel : ITransformer, IDisposable
{
    /// <summary>Name of the embedding column the embedder adds.</summary>
    public const string EmbeddingColumnName = "Embedding";

    private readonly MLContext _context;
    private readonly byte[] _embedderOnnx;
    private readonly byte[] _pairScorerOnnx;
    private readonly ModelTempFiles _files;

    internal SiameseModel(MLContext context, NetworkSpec network, IReadOnlyDictionary<string, WeightTensor> weights, PairScoring scoring, string featureColumnName, TrainingSummary summary, ImageInput? images = null)
    {
        Images = images;
        _context = context;
        Network = network;
        Scoring = scoring;
        FeatureColumnName = featureColumnName;
        Summary = summary;
        var metadata = new Dictionary<string, string>
        {
            ["mlnet_siamese.network"] = network.ToJson(),
            ["mlnet_siamese.loss"] = summary.Loss.ToString(),
            ["mlnet_siamese.threshold"] = scoring.Threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (summary.Impostors is { } impostors)
            metadata[Identification.ImpostorDistanceProfile.MetadataKey] = impostors.ToMetadata();   // identifiers' reject threshold
        if (summary.DescribeHeldOutChoice() is { } heldOut)
            metadata["mlnet_siamese.held_out_choice"] = heldOut;   // which head the model is, and why (siamese info)
        _files = new ModelTempFiles(context);
        _embedderOnnx = OnnxExporter.ExportEmbedder(network, weights, featureColumnName, EmbeddingColumnName, metadata);
        _pairScorerOnnx = OnnxExporter.ExportPairScorer(network, weights, scoring, LeftFeatureColumnName, RightFeatureColumnName, metadata);
        if (images is null)
        {
            EmbedderInputSchema = OnnxTransformers.VectorSchema(network.InputSize, featureColumnName);
            PairScorerInputSchema = OnnxTransformers.VectorSchema(network.InputSize, LeftFeatureColumnName, RightFeatureColumnName);
            Embedder = context.Transforms.ApplyOnnxModel(_files.Write("embedder.onnx", _embedderOnnx)).Fit(OnnxTransformers.Empty(EmbedderInputSchema));
            PairScorer = context.Transforms.ApplyOnnxModel(_files.Write("pair-scorer.onnx", _pairScorerOnnx)).Fit(OnnxTransformers.Empty(PairScorerInputSchema));
        }
        else
        {
            string image = images.ImageColumnName;
            EmbedderInputSchema = images.Decoded ? OnnxTransformers.ImageSchema(image) : OnnxTransformers.TextSchema(image);
            PairScorerInputSchema = images.Decoded ? OnnxTransformers.ImageSchema("Left" + image, "Right" + image) : OnnxTransformers.TextSchema("Left" + image, "Right" + image);
            int? pixels = images.BackboneInNetwork ? network.Height : null;
            Embedder = CreateImageEmbedderEstimator(context, image, featureColumnName, images, pixels)
                .Append(context.Transforms.ApplyOnnxModel(_files.Write("embedder.onnx", _embedderOnnx)))
                .Fit(OnnxTransformers.Empty(EmbedderInputSchema));
            PairScorer = ImageFeatures(context, images, pixels,
                    new InputOutputColumnPair(LeftFeatureColumnName, "Left" + image), new InputOutputColumnPair(RightFeatureColumnName, "Right" + image))
                .Append(context.Transforms.ApplyOnnxModel(_files.Write("pair-scorer.onnx", _pairScorerOnnx)))
                .Fit(OnnxTransformers.Empty(PairScorerInputSchema));
        }
    }

    /// <summary>The image preprocessing of an image model's embedder: image paths (or decoded images) to the network's features.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="imageColumnName">Input column of image paths or decoded images.</param>
    /// <param name="featureColumnName">Output column of features.</param>
    /// <param name="images">Decoding options, backbone, and whether the column holds decoded images.</param>
    /// <param name="backbonePixels">With a backbone built into the network (fine-tuned): the image side it takes; the chain then
    /// ends at the backbone's pixels (centre crop, RGB 0..255) instead of its features.</param>
    /// <returns>The estimator chain.</returns>
    internal static EstimatorChain<ITransformer> CreateImageEmbedderEstimator(MLContext context, string imageColumnName, string featureColumnName, ImageInput images, int? backbonePixels = null)
        => ImageFeatures(context, images, backbonePixels, new InputOutputColumnPair(featureColumnName, imageColumnName));

    /// <summary>
    /// Image paths (or images decoded by LoadImages) to the network's input: decoded pixels, a pretrained backbone's
    /// features, or its pixels.
    /// </summary>
    internal static EstimatorChain<ITransformer> ImageFeatures(MLContext context, ImageInput images, int? backbonePixels, params InputOutputColumnPair[] columns)
        => (images.Backbone, backbonePixels) switch
        {
            (null, _) when images.Decoded => ImagePreprocessing.CreateEstimatorFromImages(context, images.Preprocessing, columns),
            (null, _) => ImagePreprocessing.CreateEstimator(context, images.Preprocessing, columns),
            (_, { } size) => BackboneFeaturizer.CreatePixelEstimator(context, size, images.Preprocessing.ImageFolder, !images.Decoded, columns),
            ({ } backbone, null) => BackboneFeaturizer.CreateEstimator(context, backbone, images.Preprocessing.ImageFolder, !images.Decoded, columns),
        };

    /// <summary>
    /// For a model trained from image files (<see cref="SiameseTrainerOptions.ImageColumnName"/>): the image column and
    /// how images are decoded. The embedder then takes that column and the pair scorer "Left" + it and "Right" + it,
    /// with the decoding done by ML.NET ImageAnalytics inside the saved pipeline. Null for feature-vector models.
    /// </summary>
    public ImageInput? Images { get; }

    /// <summary>The network specification.</summary>
    public NetworkSpec Network { get; }

    /// <summary>How pair scores are computed and the calibrated threshold.</summary>
    public PairScoring Scoring { get; }

    /// <summary>The decision threshold on <c>Score</c>: PredictedLabel is Score &gt;= Threshold.</summary>
    public float Threshold => Scoring.Threshold;

    /// <summary>Input column of the embedder.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Left feature column of the pair scorer's ONNX model: "Left" + <see cref="FeatureColumnName"/>.</summary>
    public string LeftFeatureColumnName => "Left" + FeatureColumnName;

    /// <summary>Right feature column of the pair scorer's ONNX model: "Right" + <see cref="FeatureColumnName"/>.</summary>
    public string RightFeatureColumnName => "Right" + FeatureColumnName;

    /// <summary>Length of the embedding.</summary>
    public int EmbeddingDimension => Network.EmbeddingDimension;

    /// <summary>Loss history, validations and calibration of the run that produced this model.</summary>
    public TrainingSummary Summary { get; }

    /// <summary>The embedding view: <see cref="FeatureColumnName"/> to <see cref="EmbeddingColumnName"/>.</summary>
    public ITransformer Embedder { get; }

    /// <summary>The pair view: <see cref="LeftFeatureColumnName"/> and <see cref="RightFeatureColumnName"/> to Score, Distance, PredictedLabel, LeftEmbedding, RightEmbedding.</summary>
    public ITransformer PairScorer { get; }

    /// <summary>The input columns the embedder reads (image paths or feature vectors).</summary>
    public DataViewSchema EmbedderInputSchema { get; }

    /// <summary>The input columns the pair scorer reads (two image paths or two feature vectors).</summary>
    public DataViewSchema PairScorerInputSchema { get; }

    /// <summary>
    /// Saves the pair scorer as an ML.NET model zip (with its input schema): <c>mlContext.Model.Load</c> reads it back
    /// as ML.NET's own transformers, and scoring it needs only Microsoft.ML, its ImageAnalytics (for image models) and
    /// OnnxTransformer packages.
    /// </summary>
    /// <param name="path">The zip file to write.</param>
    public void SavePairScorer(string path) => SaveAtomically(PairScorer, PairScorerInputSchema, path);

    /// <summary>Saves the embedder as an ML.NET model zip with its input schema (see <see cref="SavePairScorer"/>).</summary>
    /// <param name="path">The zip file to write.</param>
    public void SaveEmbedder(string path) => SaveAtomically(Embedder, EmbedderInputSchema, path);

    private void SaveAtomically(ITransformer transformer, DataViewSchema schema, string path) =>
        MLNet.Siamese.Files.SafeFileOutput.Write(path, stream => _context.Model.Save(transformer, schema, stream));

    /// <summary>The embedder as ONNX model bytes.</summary>
    public ReadOnlyMemory<byte> EmbedderOnnx => _embedderOnnx;

    /// <summary>The pair scorer as ONNX model bytes.</summary>
    public ReadOnlyMemory<byte> PairScorerOnnx => _pairScorerOnnx;

    /// <summary>Writes one view as an ONNX file, for use outside .NET (ONNX Runtime, vector databases, ...).</summary>
    /// <param name="path">The target file.</param>
    /// <param name="view">Which view.</param>
    public void ExportOnnx(string path, SiameseModelView view = SiameseModelView.Embedder)
    {
        var bytes = view == SiameseModelView.Embedder ? _embedderOnnx : _pairScorerOnnx;
        MLNet.Siamese.Files.SafeFileOutput.Write(path, stream => stream.Write(bytes));
    }

    /// <inheritdoc />
    public bool IsRowToRowMapper => Embedder.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Embedder.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Embedder.GetRowToRowMapper(inputSchema);

    /// <summary>Adds the <c>Embedding</c> column to <paramref name="input"/>.</summary>
    /// <param name="input">Data with <see cref="FeatureColumnName"/>.</param>
    /// <returns>The data with embeddings.</returns>
    public IDataView Transform(IDataView input) => Embedder.Transform(input);

    /// <summary>Saves the embedder's ML.NET transformers; the zip loads back as ML.NET's own ONNX transformer.</summary>
    /// <param name="ctx">The save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)Embedder).Save(ctx);

    /// <summary>
    /// Releases the ONNX Runtime sessions of both views and deletes the files of their graphs (the model keeps them in a
    /// folder of its own under <c>MLContext.TempFilePath</c>). The model cannot score afterwards; a zip saved from it is unaffected.
    /// </summary>
    public void Dispose()
    {
        (Embedder as IDisposable)?.Dispose();
        (PairScorer as IDisposable)?.Dispose();
        _files.Dispose();
    }
}

/// <summary>The image input of a <see cref="SiameseModel"/> trained from images.</summary>
/// <param name="ImageColumnName">Column the embedder reads: image paths, or decoded images when <paramref name="Decoded"/>.</param>
/// <param name="Preprocessing">How images are decoded (without a backbone), and the folder relative paths are resolved against.</param>
/// <param name="Backbone">The frozen pretrained network whose features the Siamese network takes, or null when it takes the decoded pixels.</param>
/// <param name="Decoded">True when the column holds images already decoded by ML.NET's <c>LoadImages</c> (<c>MLImage</c>)
/// instead of paths: the model's pipeline then starts at ResizeImages, and a <c>LoadImages</c> before it in the user's
/// pipeline (saved with it) reads the files.</param>
/// <param name="BackboneInNetwork">True when the backbone was fine-tuned and is part of the network: the pipeline then feeds
/// the network the backbone's pixels (centre crop, RGB 0..255) instead of its features.</param>
public sealed record ImageInput(string ImageColumnName, ImagePreprocessingOptions Preprocessing, PretrainedBackbone? Backbone = null, bool Decoded = false, bool BackboneInNetwork = false);

/// <summary>Input row of an image pair scorer for <c>PredictionEngine</c> (default column names).</summary>
public sealed class ImagePair
{
    /// <summary>Path of the first image.</summary>
    public string LeftImagePath { get; set; } = string.Empty;

    /// <summary>Path of the second image.</summary>
    public string RightImagePath { get; set; } = string.Empty;
}

/// <summary>Input row of an image embedder for <c>PredictionEngine</c> (default column name).</summary>
public sealed class ImageItem
{
    /// <summary>Path of the image.</summary>
    public string ImagePath { get; set; } = string.Empty;
}

/// <summary>The two views of a <see cref="SiameseModel"/>.</summary>
public enum SiameseModelView
{
    /// <summary>One item to its embedding.</summary>
    Embedder,
    /// <summary>Two items to score, distance, predicted label and embeddings.</summary>
    PairScorer,
}
