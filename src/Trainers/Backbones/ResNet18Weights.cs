using System.Globalization;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;
using static TorchSharp.torch;

namespace MLNet.Siamese.Backbones;

/// <summary>
/// Reads the ImageNet weights of ResNet18 from the ONNX files of ML.NET's featurizer package
/// (<c>ResNet18Onnx/ResNet18.onnx</c>, and the mean image of <c>ResNetPrepOnnx/ResNetPreprocess.onnx</c>) into the weight
/// names of <see cref="ResNet18Network.Create"/>'s network. The file names its tensors "Parameter91" and so on, so the
/// mapping follows the graph: the convolutions in node order (the stem, then per block an optional 1x1 downsample,
/// conv1, conv2), each with the batch norm that reads its output.
/// </summary>
public static class ResNet18Weights
{
    /// <summary>Side of the mean image in the preprocessing file.</summary>
    private const int MeanImageSize = 224;

    /// <summary>
    /// Imports the weights for images of side <paramref name="imageSize"/> (the mean image is resampled to it), for the
    /// trunk of <see cref="ResNet18Network.Create"/> cut after <paramref name="stages"/> stages.
    /// </summary>
    /// <param name="modelDirectory">The folder holding <c>ResNet18Onnx/</c> and <c>ResNetPrepOnnx/</c> (<see cref="PretrainedBackbone.ResolveModelDirectory"/>).</param>
    /// <param name="imageSize">Image side of the network the weights are for.</param>
    /// <param name="stages">Residual stages the trunk keeps, 1..4 (default all): the weights of later stages are left out.</param>
    /// <returns>Every weight and running statistic of the trunk, by name ("1.weight", "5.conv1.weight", "5.bn1.running_mean", ...).</returns>
    /// <exception cref="FileNotFoundException">A model file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is not the expected ResNet18 graph; the message names it.</exception>
    public static IReadOnlyDictionary<string, WeightTensor> Import(string modelDirectory, int imageSize, int stages)
        => ForStages(Import(modelDirectory, imageSize), stages);

    /// <summary>The weights of the layers a trunk cut after <paramref name="stages"/> stages has (named "{layer}.…").</summary>
    /// <param name="weights">Weights of the whole trunk, as <see cref="Import(string, int)"/> gives them.</param>
    /// <param name="stages">Residual stages kept, 1..4.</param>
    /// <returns>The weights of the normalization, the stem and the kept stages.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not in 1..4.</exception>
    public static IReadOnlyDictionary<string, WeightTensor> ForStages(IReadOnlyDictionary<string, WeightTensor> weights, int stages)
    {
        int trunk = ResNet18Network.PoolingLayerOf(stages);
        return weights.Where(w => LayerOf(w.Key) < trunk).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);
    }

    /// <summary>The layer index a weight name starts with ("12.conv1.weight": 12).</summary>
    internal static int LayerOf(string name) => int.Parse(name.AsSpan(0, name.IndexOf('.', StringComparison.Ordinal)), CultureInfo.InvariantCulture);

    /// <summary>The weight name with its layer index moved by <paramref name="by"/> ("12.conv1.weight", -10: "2.conv1.weight").</summary>
    internal static string Renumbered(string name, int by) => $"{LayerOf(name) + by}{name[name.IndexOf('.', StringComparison.Ordinal)..]}";

    /// <summary>Imports the weights of the whole trunk for images of side <paramref name="imageSize"/>.</summary>
    /// <param name="modelDirectory">The folder holding <c>ResNet18Onnx/</c> and <c>ResNetPrepOnnx/</c>.</param>
    /// <param name="imageSize">Image side of the network the weights are for.</param>
    /// <returns>Every weight and running statistic of the trunk, by name.</returns>
    /// <exception cref="FileNotFoundException">A model file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is not the expected ResNet18 graph; the message names it.</exception>
    public static IReadOnlyDictionary<string, WeightTensor> Import(string modelDirectory, int imageSize)
    {
        string main = Path.Combine(modelDirectory, "ResNet18Onnx", "ResNet18.onnx");
        string prep = Path.Combine(modelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        var spec = ResNet18Network.Create(imageSize);
        var shapes = spec.InferShapes();
        var weights = new Dictionary<string, WeightTensor>(StringComparer.Ordinal) { ["0.mean"] = MeanImage(Read(prep), prep, imageSize) };
        var model = Read(main);
        var convs = model.Nodes.Where(n => n.OpType == "Conv").ToList();
        var next = new Queue<string>();
        next.Enqueue("1.");
        for (int layer = ResNet18Network.StemLayers; layer < ResNet18Network.PoolingLayer; layer++)
        {
            var block = (ResidualBlockLayer)spec.Layers[layer];
            string prefix = layer.ToString(CultureInfo.InvariantCulture) + ".";
            if (block.HasDownsample(shapes[layer].Dimensions[0])) next.Enqueue(prefix + "down_");
            next.Enqueue(prefix + "conv1");
            next.Enqueue(prefix + "conv2");
        }
        if (convs.Count != next.Count)
            throw new InvalidDataException($"'{main}' has {convs.Count} convolutions; ResNet18 has {next.Count}.");
        foreach (var conv in convs)
        {
            string target = next.Dequeue();
            var bn = model.Nodes.FirstOrDefault(n => n.OpType == "BatchNormalization" && n.Inputs[0] == conv.Outputs[0])
                ?? throw new InvalidDataException($"'{main}': no batch norm reads the output of convolution '{conv.Outputs[0]}'.");
            // The stem's convolution and batch norm are layers 1 and 2; a block's are named inside its layer.
            (string convName, string bnName) = target switch
            {
                "1." => ("1.weight", "2."),
                _ when target.EndsWith("down_", StringComparison.Ordinal) => (target + "conv.weight", target + "bn."),
                _ => (target + ".weight", target.Replace("conv", "bn", StringComparison.Ordinal) + "."),
            };
            weights[convName] = Tensor(model, conv.Inputs[1], main);
            string[] parts = ["weight", "bias", "running_mean", "running_var"];
            for (int p = 0; p < parts.Length; p++)
                weights[bnName + parts[p]] = Flat(Tensor(model, bn.Inputs[p + 1], main));
        }
        using var network = new EmbeddingNetwork(spec);
        try
        {
            network.LoadWeights(weights);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{main}' does not fit ResNet18: {e.Message}", e);
        }
        return weights;
    }

    private static OnnxModelContents Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The ResNet18 model file '{path}' does not exist. Reference the package Microsoft.ML.DnnImageFeaturizer.ResNet18 or set PretrainedBackbone.ModelDirectory.", path);
        try
        {
            return OnnxModelReader.Read(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    private static WeightTensor Tensor(OnnxModelContents model, string name, string path) =>
        model.Initializers.TryGetValue(name, out var t) && t.Floats is { } values
            ? new WeightTensor(t.Dims, values)
            : throw new InvalidDataException($"'{path}' has no float initializer '{name}'.");

    /// <summary>Batch-norm vectors are stored as (C) or (1, C) depending on the exporter: make them (C).</summary>
    private static WeightTensor Flat(WeightTensor t) => new(new long[] { t.Values.Length }, t.Values);

    /// <summary>The preprocessing's mean image (1, 3, 224, 224, BGR), resampled bilinearly to the network's size.</summary>
    private static WeightTensor MeanImage(OnnxModelContents prep, string path, int imageSize)
    {
        var mean = Tensor(prep, "MeanImage", path);
        if (!mean.Shape.SequenceEqual(new long[] { 1, 3, MeanImageSize, MeanImageSize }))
            throw new InvalidDataException($"'{path}': MeanImage has shape [{string.Join(", ", mean.Shape)}]; expected [1, 3, {MeanImageSize}, {MeanImageSize}].");
        if (imageSize == MeanImageSize)
            return new WeightTensor(new long[] { 3, imageSize, imageSize }, mean.Values);
        using var scope = NewDisposeScope();
        var resized = nn.functional.interpolate(tensor(mean.Values, mean.Shape), new long[] { imageSize, imageSize }, mode: InterpolationMode.Bilinear, align_corners: false);
        return new WeightTensor(new long[] { 3, imageSize, imageSize }, resized.contiguous().data<float>().ToArray());
    }
}
