using Microsoft.ML.Data;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Output row of a pair scorer for <c>PredictionEngine</c>. ML.NET's ONNX transformer exposes every ONNX output as a
/// vector (here of length 1), so the columns bind to one-element arrays and the scalar properties read element 0.
/// </summary>
public sealed class PairPrediction
{
    /// <summary>The <c>Score</c> column: similarity in 0..1, higher is more similar.</summary>
    [ColumnName("Score")]
    public float[] ScoreColumn { get; set; } = Array.Empty<float>();

    /// <summary>The <c>Distance</c> column: Euclidean distance between the two embeddings.</summary>
    [ColumnName("Distance")]
    public float[] DistanceColumn { get; set; } = Array.Empty<float>();

    /// <summary>The <c>PredictedLabel</c> column: Score &gt;= the model's threshold.</summary>
    [ColumnName("PredictedLabel")]
    public bool[] PredictedLabelColumn { get; set; } = Array.Empty<bool>();

    /// <summary>Similarity in 0..1, higher is more similar.</summary>
    [NoColumn]
    public float Score => ScoreColumn.Length > 0 ? ScoreColumn[0] : float.NaN;

    /// <summary>Euclidean distance between the two embeddings.</summary>
    [NoColumn]
    public float Distance => DistanceColumn.Length > 0 ? DistanceColumn[0] : float.NaN;

    /// <summary>True when the model judges the two items to be of the same class.</summary>
    [NoColumn]
    public bool PredictedLabel => PredictedLabelColumn.Length > 0 && PredictedLabelColumn[0];
}

/// <summary>Output row of an embedder for <c>PredictionEngine</c>.</summary>
public sealed class EmbeddingPrediction
{
    /// <summary>The embedding vector.</summary>
    public float[] Embedding { get; set; } = Array.Empty<float>();
}
