using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Onnx;

/// <summary>
/// Writes a trained network (a <see cref="NetworkSpec"/> and the weights from <see cref="EmbeddingNetwork.ExportWeights"/>)
/// as an ONNX model (IR 8, opset 17) that ONNX Runtime and ML.NET's <c>ApplyOnnxModel</c> score without libtorch.
/// Inputs are flat float vectors (N, C*H*W) with a symbolic batch dimension "N".
/// </summary>
public static class OnnxExporter
{
    /// <summary>Name of the pair model's score output: float (N), the probability that the two inputs match.</summary>
    public const string ScoreOutput = "Score";

    /// <summary>Name of the pair model's distance output: float (N), the Euclidean distance between the embeddings.</summary>
    public const string DistanceOutput = "Distance";

    /// <summary>Name of the pair model's label output: bool (N), Score &gt;= <see cref="PairScoring.Threshold"/>.</summary>
    public const string PredictedLabelOutput = "PredictedLabel";

    /// <summary>Name of the pair model's left embedding output: float (N, D).</summary>
    public const string LeftEmbeddingOutput = "LeftEmbedding";

    /// <summary>Name of the pair model's right embedding output: float (N, D).</summary>
    public const string RightEmbeddingOutput = "RightEmbedding";

    /// <summary>Name of the learned head's weight (1 x D) in the weight dictionary.</summary>
    public const string HeadWeight = "head.weight";

    /// <summary>Name of the learned head's bias (1) in the weight dictionary.</summary>
    public const string HeadBias = "head.bias";

    /// <summary>
    /// Exports the embedding network: input <paramref name="inputName"/> float (N, C*H*W), output
    /// <paramref name="outputName"/> float (N, D).
    /// </summary>
    /// <param name="spec">The network specification.</param>
    /// <param name="weights">Its weights, named "{layer}.weight", "{layer}.bias", "{layer}.running_mean", "{layer}.running_var".</param>
    /// <param name="inputName">Name of the input tensor (the ML.NET input column).</param>
    /// <param name="outputName">Name of the output tensor (the ML.NET output column).</param>
    /// <param name="metadata">Optional key/value pairs stored in the model's metadata_props.</param>
    /// <returns>The ONNX model bytes.</returns>
    /// <exception cref="InvalidOperationException">The specification does not infer shapes.</exception>
    /// <exception cref="ArgumentException">A weight is missing or has the wrong shape, or a name is empty, or the two names are equal.</exception>
    public static byte[] ExportEmbedder(NetworkSpec spec, IReadOnlyDictionary<string, WeightTensor> weights,
        string inputName = "Features", string outputName = "Embedding", IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentException.ThrowIfNullOrEmpty(inputName);
        ArgumentException.ThrowIfNullOrEmpty(outputName);
        if (inputName == outputName) throw new ArgumentException("The input and output need different names.", nameof(outputName));
        var network = new NetworkGraphWriter(spec, weights);
        var graph = new OnnxGraphBuilder();
        graph.Input(OnnxProto.TensorValueInfo(inputName, OnnxProto.DataType.Float, null, network.InputSize));
        network.Write(graph, inputName, "embed/", outputName);
        graph.Output(OnnxProto.TensorValueInfo(outputName, OnnxProto.DataType.Float, null, network.EmbeddingDimension));
        return graph.ToModelBytes(spec.Name + "_embedder", $"Embedding network '{spec.Name}' exported by MLNet.Siamese.", metadata);
    }

    /// <summary>Exports the embedding network to a file; see <see cref="ExportEmbedder(NetworkSpec, IReadOnlyDictionary{string, WeightTensor}, string, string, IReadOnlyDictionary{string, string}?)"/>.</summary>
    /// <param name="spec">The network specification.</param>
    /// <param name="weights">Its weights.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="inputName">Name of the input tensor.</param>
    /// <param name="outputName">Name of the output tensor.</param>
    /// <param name="metadata">Optional metadata.</param>
    public static void ExportEmbedderToFile(NetworkSpec spec, IReadOnlyDictionary<string, WeightTensor> weights, string path,
        string inputName = "Features", string outputName = "Embedding", IReadOnlyDictionary<string, string>? metadata = null)
        => File.WriteAllBytes(path, ExportEmbedder(spec, weights, inputName, outputName, metadata));

    /// <summary>
    /// Exports the pair model: both inputs float (N, C*H*W) go through the same layers (weights stored once); outputs
    /// <see cref="ScoreOutput"/> float (N), <see cref="DistanceOutput"/> float (N), <see cref="PredictedLabelOutput"/>
    /// bool (N), <see cref="LeftEmbeddingOutput"/> and <see cref="RightEmbeddingOutput"/> float (N, D).
    /// Score is sigmoid(head.weight . |f1 - f2| + head.bias) for a learned head, otherwise
    /// sigmoid(DistanceScale * Distance + DistanceOffset).
    /// </summary>
    /// <param name="spec">The network specification.</param>
    /// <param name="weights">Its weights, plus <see cref="HeadWeight"/> (1 x D) and <see cref="HeadBias"/> (1) for a learned head.</param>
    /// <param name="scoring">How the score is computed and thresholded.</param>
    /// <param name="leftInput">Name of the left input tensor.</param>
    /// <param name="rightInput">Name of the right input tensor.</param>
    /// <param name="metadata">Optional key/value pairs stored in the model's metadata_props.</param>
    /// <returns>The ONNX model bytes.</returns>
    /// <exception cref="InvalidOperationException">The specification does not infer shapes.</exception>
    /// <exception cref="ArgumentException">A weight is missing or has the wrong shape, or the input names are empty or equal.</exception>
    public static byte[] ExportPairScorer(NetworkSpec spec, IReadOnlyDictionary<string, WeightTensor> weights, PairScoring scoring,
        string leftInput = "LeftFeatures", string rightInput = "RightFeatures", IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(scoring);
        ArgumentException.ThrowIfNullOrEmpty(leftInput);
        ArgumentException.ThrowIfNullOrEmpty(rightInput);
        if (leftInput == rightInput) throw new ArgumentException("The left and right inputs need different names.", nameof(rightInput));
        var network = new NetworkGraphWriter(spec, weights);
        int d = network.EmbeddingDimension;
        if (scoring.LearnedHead)
        {
            NetworkGraphWriter.Require(weights, HeadWeight, 1, d);
            NetworkGraphWriter.Require(weights, HeadBias, 1);
        }

        var graph = new OnnxGraphBuilder();
        graph.Input(OnnxProto.TensorValueInfo(leftInput, OnnxProto.DataType.Float, null, network.InputSize));
        graph.Input(OnnxProto.TensorValueInfo(rightInput, OnnxProto.DataType.Float, null, network.InputSize));
        network.Write(graph, leftInput, "left/", LeftEmbeddingOutput);
        network.Write(graph, rightInput, "right/", RightEmbeddingOutput);
        PairHeadWriter.Write(graph, scoring, weights, LeftEmbeddingOutput, RightEmbeddingOutput, ScoreOutput, DistanceOutput, PredictedLabelOutput);

        graph.Output(OnnxProto.TensorValueInfo(ScoreOutput, OnnxProto.DataType.Float, PairHeadWriter.PerPairShape));
        graph.Output(OnnxProto.TensorValueInfo(DistanceOutput, OnnxProto.DataType.Float, PairHeadWriter.PerPairShape));
        graph.Output(OnnxProto.TensorValueInfo(PredictedLabelOutput, OnnxProto.DataType.Bool, PairHeadWriter.PerPairShape));
        graph.Output(OnnxProto.TensorValueInfo(LeftEmbeddingOutput, OnnxProto.DataType.Float, null, d));
        graph.Output(OnnxProto.TensorValueInfo(RightEmbeddingOutput, OnnxProto.DataType.Float, null, d));
        return graph.ToModelBytes(spec.Name + "_pair", $"Siamese pair model '{spec.Name}' exported by MLNet.Siamese.", metadata);
    }

    /// <summary>Exports the pair model to a file; see <see cref="ExportPairScorer(NetworkSpec, IReadOnlyDictionary{string, WeightTensor}, PairScoring, string, string, IReadOnlyDictionary{string, string}?)"/>.</summary>
    /// <param name="spec">The network specification.</param>
    /// <param name="weights">Its weights (and the head's).</param>
    /// <param name="scoring">How the score is computed and thresholded.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="leftInput">Name of the left input tensor.</param>
    /// <param name="rightInput">Name of the right input tensor.</param>
    /// <param name="metadata">Optional metadata.</param>
    public static void ExportPairScorerToFile(NetworkSpec spec, IReadOnlyDictionary<string, WeightTensor> weights, PairScoring scoring, string path,
        string leftInput = "LeftFeatures", string rightInput = "RightFeatures", IReadOnlyDictionary<string, string>? metadata = null)
        => File.WriteAllBytes(path, ExportPairScorer(spec, weights, scoring, leftInput, rightInput, metadata));
}
