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
public sealed class SiameseModel : ITransformer
{
    /// <summary>Name of the embedding column the embedder adds.</summary>
    public const string EmbeddingColumnName = "Embedding";

    private readonly MLContext _context;
    private readonly byte[] _embedderOnnx;
    private readonly byte[] _pairScorerOnnx;

    internal SiameseModel(MLContext context, NetworkSpec network, IReadOnlyDictionary<string, WeightTensor> weights, PairScoring scoring, string featureColumnName, TrainingSummary summary)
    {
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
        _embedderOnnx = OnnxExporter.ExportEmbedder(network, weights, featureColumnName, EmbeddingColumnName, metadata);
        _pairScorerOnnx = OnnxExporter.ExportPairScorer(network, weights, scoring, LeftFeatureColumnName, RightFeatureColumnName, metadata);
        Embedder = OnnxTransformers.Fit(context, _embedderOnnx, new[] { featureColumnName }, network.InputSize);
        PairScorer = OnnxTransformers.Fit(context, _pairScorerOnnx, new[] { LeftFeatureColumnName, RightFeatureColumnName }, network.InputSize);
    }

    /// <summary>The network specification.</summary>
    public NetworkSpec Network { get; }

    /// <summary>How pair scores are computed and the calibrated threshold.</summary>
    public PairScoring Scoring { get; }

    /// <summary>The decision threshold on <c>Score</c>: PredictedLabel is Score &gt;= Threshold.</summary>
    public float Threshold => Scoring.Threshold;

    /// <summary>Input column of the embedder.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Left input column of the pair scorer: "Left" + <see cref="FeatureColumnName"/>.</summary>
    public string LeftFeatureColumnName => "Left" + FeatureColumnName;

    /// <summary>Right input column of the pair scorer: "Right" + <see cref="FeatureColumnName"/>.</summary>
    public string RightFeatureColumnName => "Right" + FeatureColumnName;

    /// <summary>Length of the embedding.</summary>
    public int EmbeddingDimension => Network.EmbeddingDimension;

    /// <summary>Loss history, validations and calibration of the run that produced this model.</summary>
    public TrainingSummary Summary { get; }

    /// <summary>The embedding view: <see cref="FeatureColumnName"/> to <see cref="EmbeddingColumnName"/>.</summary>
    public ITransformer Embedder { get; }

    /// <summary>The pair view: <see cref="LeftFeatureColumnName"/> and <see cref="RightFeatureColumnName"/> to Score, Distance, PredictedLabel, LeftEmbedding, RightEmbedding.</summary>
    public ITransformer PairScorer { get; }

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
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
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
}

/// <summary>The two views of a <see cref="SiameseModel"/>.</summary>
public enum SiameseModelView
{
    /// <summary>One item to its embedding.</summary>
    Embedder,
    /// <summary>Two items to score, distance, predicted label and embeddings.</summary>
    PairScorer,
}
