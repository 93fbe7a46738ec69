namespace MLNet.Siamese.Networks;

/// <summary>The network presets of the seeds, plus a compact network that trains well on a few CPU cores.</summary>
public static class NetworkPresets
{
    /// <summary>Names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "compact", "conv4", "koch", "mlp", "keras" };

    /// <summary>Builds a preset by name (case-insensitive): compact, conv4, koch, mlp or keras.</summary>
    /// <param name="name">The preset name.</param>
    /// <param name="imageSize">Input height and width; 0 takes the preset's own (compact 28, conv4 28, koch 105, mlp 28, keras 28).</param>
    /// <param name="embeddingDimension">Embedding size for presets that have a free one (compact, mlp); 0 takes the preset's own.</param>
    /// <returns>The specification.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static NetworkSpec Create(string name, int imageSize = 0, int embeddingDimension = 0) => name.ToLowerInvariant() switch
    {
        "compact" => Compact(imageSize == 0 ? 28 : imageSize, embeddingDimension == 0 ? 64 : embeddingDimension),
        "conv4" => Conv4(imageSize == 0 ? 28 : imageSize),
        "koch" => Koch(imageSize == 0 ? 105 : imageSize),
        "mlp" => SeedMlp(imageSize == 0 ? 28 : imageSize, embeddingDimension == 0 ? 2 : embeddingDimension),
        "keras" => KerasSmallConv(imageSize == 0 ? 28 : imageSize),
        _ => throw new ArgumentException($"Unknown network preset '{name}'. Known presets: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// The Omniglot seed's Koch-style network (105x105x1): conv 10x10x64, 7x7x128, 4x4x128 (each ReLU and 2x2 max
    /// pooling), conv 5x5x256 with ReLU, then a 4096-unit fully connected layer; narrow-normal initialization.
    /// About 4.3 s per 32-pair step on 2 CPU cores: a GPU recipe.
    /// </summary>
    /// <param name="imageSize">Input height and width (the seed uses 105).</param>
    /// <returns>The specification.</returns>
    public static NetworkSpec Koch(int imageSize = 105) => new("koch", 1, imageSize, imageSize, new LayerSpec[]
    {
        new Conv2dLayer(64, 10, Init: WeightInit.NarrowNormal), new ReluLayer(), new MaxPool2dLayer(2, 2),
        new Conv2dLayer(128, 7, Init: WeightInit.NarrowNormal), new ReluLayer(), new MaxPool2dLayer(2, 2),
        new Conv2dLayer(128, 4, Init: WeightInit.NarrowNormal), new ReluLayer(), new MaxPool2dLayer(2, 2),
        new Conv2dLayer(256, 5, Init: WeightInit.NarrowNormal), new ReluLayer(),
        new FlattenLayer(), new LinearLayer(4096, WeightInit.NarrowNormal),
    });

    /// <summary>
    /// The digits seed's multilayer perceptron: 784-1024-1024-2 with ReLU and He initialization (for 28x28 input).
    /// </summary>
    /// <param name="imageSize">Input height and width.</param>
    /// <param name="embeddingDimension">Output size (the seed uses 2, to plot the embedding).</param>
    /// <returns>The specification.</returns>
    public static NetworkSpec SeedMlp(int imageSize = 28, int embeddingDimension = 2) => new("mlp", 1, imageSize, imageSize, new LayerSpec[]
    {
        new FlattenLayer(),
        new LinearLayer(1024, WeightInit.He), new ReluLayer(),
        new LinearLayer(1024, WeightInit.He), new ReluLayer(),
        new LinearLayer(embeddingDimension, WeightInit.He),
    });

    /// <summary>
    /// The Keras guide's small network: conv 5x5x4 tanh, 2x2 average pooling, conv 5x5x16 tanh, 2x2 average pooling,
    /// flatten, dense 10 tanh; Glorot initialization.
    /// </summary>
    /// <param name="imageSize">Input height and width.</param>
    /// <returns>The specification.</returns>
    public static NetworkSpec KerasSmallConv(int imageSize = 28) => new("keras", 1, imageSize, imageSize, new LayerSpec[]
    {
        new Conv2dLayer(4, 5, Init: WeightInit.Glorot), new TanhLayer(), new AvgPool2dLayer(2, 2),
        new Conv2dLayer(16, 5, Init: WeightInit.Glorot), new TanhLayer(), new AvgPool2dLayer(2, 2),
        new FlattenLayer(), new LinearLayer(10, WeightInit.Glorot), new TanhLayer(),
    });

    /// <summary>
    /// The embedding network of prototypical networks (Snell et al. 2017; "Conv-4"): the four blocks of <see cref="Compact"/>
    /// flattened, with no projection, so the embedding is the last feature map itself: 64 x (size/16)^2 values (28 px: 64,
    /// 48 px: 576). No linear layer to overfit the training classes, which helps on classes never seen in training.
    /// </summary>
    /// <param name="imageSize">Input height and width (at least 16).</param>
    /// <returns>The specification.</returns>
    public static NetworkSpec Conv4(int imageSize = 28) => new("conv4", 1, imageSize, imageSize, ConvBlocks().Append(new FlattenLayer()).ToList());

    /// <summary>
    /// The CPU default: four blocks of 3x3 convolution (64 filters, padding 1), batch normalization, ReLU and 2x2 max
    /// pooling (28 -> 14 -> 7 -> 3 -> 1), flattened and projected by a linear layer to the embedding.
    /// </summary>
    /// <param name="imageSize">Input height and width (at least 16).</param>
    /// <param name="embeddingDimension">Embedding size.</param>
    /// <param name="channels">Filters of every convolution (64 by default; fewer make each step cheaper).</param>
    /// <returns>The specification.</returns>
    public static NetworkSpec Compact(int imageSize = 28, int embeddingDimension = 64, int channels = 64)
    {
        var layers = ConvBlocks(channels).ToList();
        layers.Add(new FlattenLayer());
        layers.Add(new LinearLayer(embeddingDimension, WeightInit.Glorot));
        return new NetworkSpec("compact", 1, imageSize, imageSize, layers);
    }

    private static IEnumerable<LayerSpec> ConvBlocks(int channels = 64)
    {
        for (int block = 0; block < 4; block++)
        {
            yield return new Conv2dLayer(channels, 3, Padding: 1, Init: WeightInit.He);
            yield return new BatchNorm2dLayer();
            yield return new ReluLayer();
            yield return new MaxPool2dLayer(2, 2);
        }
    }
}
