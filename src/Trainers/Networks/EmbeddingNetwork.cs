using MLNet.Siamese.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.Siamese.Networks;

/// <summary>
/// The TorchSharp module built from a <see cref="NetworkSpec"/>: one named child per layer ("0", "1", ...), so the
/// parameter names are "{layer index}.weight" and "{layer index}.bias" and map one to one onto the specification.
/// Takes a flat batch (N, C*H*W) or an image batch (N, C, H, W) and returns embeddings (N, D).
/// </summary>
public sealed class EmbeddingNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _layers;
    private readonly long[] _imageShape;     // (C, H, W) of the input
    private readonly long[] _layerShape;     // (C, H', W') the layers see: the normalized image's size
    private readonly float[][] _viewGrids;   // sampling grid of each test-time view, computed once
    private readonly float[] _identityGrid;  // the grid of the unchanged image, for input normalization without views
    private readonly List<nn.Module<Tensor, Tensor>> _children;
    private readonly List<nn.Module> _alwaysEval = new();  // frozen layers and frozen batch norms: evaluation mode even in training
    private int _frozenLayers;

    /// <summary>Builds the module and initializes its weights with the current TorchSharp random state.</summary>
    /// <param name="spec">The specification; it is checked first.</param>
    public EmbeddingNetwork(NetworkSpec spec) : base("EmbeddingNetwork")
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        var shapes = spec.InferShapes();
        _imageShape = new long[] { spec.Channels, spec.Height, spec.Width };
        var geometry = spec.Geometry;
        _layerShape = new long[] { geometry.Channels, geometry.Height, geometry.Width };
        var children = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < spec.Layers.Count; i++)
            children.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), Build(spec.Layers[i], shapes[i])));
        _children = children.Select(c => c.Item2).ToList();
        _layers = nn.Sequential(children);
        _viewGrids = spec.TestTimeViews?.Select(v => v.SamplingGrid(geometry.Height, geometry.Width)).ToArray() ?? [];
        _identityGrid = EmbeddingView.Identity.SamplingGrid(geometry.Height, geometry.Width);
        RegisterComponents();
    }

    /// <summary>The specification this module was built from.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>
    /// Embeds a batch. In training mode the layers run on the input as it is: the trainer has applied the
    /// <see cref="NetworkSpec.InputNormalization"/> to its images already (<see cref="NormalizeInputs(Tensor)"/>), before
    /// class copies and augmentation, so it has the normalized size (<see cref="NetworkSpec.Geometry"/>'s height x width).
    /// In evaluation mode the input (<see cref="NetworkSpec.Height"/> x <see cref="NetworkSpec.Width"/>) is normalized
    /// here and, with <see cref="NetworkSpec.TestTimeViews"/>, the embedding is the mean over the views; normalization and
    /// view are one resampling, as in the ONNX graph.
    /// </summary>
    /// <param name="input">A flat batch (N, C*H*W) or an image batch (N, C, H, W).</param>
    /// <returns>Embeddings (N, D).</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var normalization = Spec.InputNormalization;
        if (training || (_viewGrids.Length == 0 && normalization is null))
            return ForwardLayers(AsImages(input, _layerShape)).MoveToOuterDisposeScope();
        var x = AsImages(input, _imageShape);
        // Test-time augmentation: the mean of the outputs over the views, each resampled as the ONNX graph's GridSample does.
        var grids = _viewGrids.Length > 0 ? _viewGrids : [_identityGrid];
        var measured = normalization?.Measure(x);
        int merge = Spec.TestTimeViewsMergeAfter ?? _children.Count;
        Tensor? sum = null;
        foreach (var viewGrid in grids)
        {
            var y = RunLayers(Resample(x, viewGrid, _layerShape, measured), 0, merge);
            sum = sum is null ? y : sum.Plus(y);
        }
        using Scalar views = grids.Length;
        var mean = grids.Length == 1 ? sum! : sum! / views;
        return RunLayers(mean, merge, _children.Count).MoveToOuterDisposeScope();
    }

    /// <summary>Layers <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) on <paramref name="x"/>.</summary>
    private Tensor RunLayers(Tensor x, int from, int to)
    {
        if (from == 0 && to == _children.Count)
            return _layers.forward(x);
        for (int i = from; i < to; i++) x = _children[i].forward(x);
        return x;
    }

    /// <summary>The layers; the frozen first ones (<see cref="Freeze"/>) without gradients.</summary>
    private Tensor ForwardLayers(Tensor x)
    {
        if (_frozenLayers == 0)
            return _layers.forward(x);
        using (no_grad())
            for (int i = 0; i < _frozenLayers; i++) x = _children[i].forward(x);
        for (int i = _frozenLayers; i < _children.Count; i++) x = _children[i].forward(x);
        return x;
    }

    /// <summary>
    /// Freezes the first <paramref name="layers"/> layers (fine-tuning a pretrained network): their parameters stop
    /// requiring gradients, they run without autograd and stay in evaluation mode (running statistics) even while the module
    /// trains. Unless <paramref name="trainBatchNorm"/>, every batch norm of the other layers is frozen the same way.
    /// </summary>
    /// <param name="layers">How many leading layers to freeze.</param>
    /// <param name="trainBatchNorm">Whether the batch norms of the unfrozen layers train.</param>
    internal void Freeze(int layers, bool trainBatchNorm)
    {
        _frozenLayers = layers;
        _alwaysEval.Clear();
        for (int i = 0; i < _children.Count; i++)
        {
            var frozen = i < layers ? new List<nn.Module> { _children[i] }
                : trainBatchNorm ? [] : _children[i].modules().Where(m => m is BatchNorm2dModule).Cast<nn.Module>().ToList();
            foreach (var module in frozen)
            {
                foreach (var p in module.parameters()) p.requires_grad = false;
                _alwaysEval.Add(module);
            }
        }
        train(training);
    }

    /// <summary>The parameters of one layer that train (those a <see cref="Freeze"/> left trainable).</summary>
    /// <param name="layer">The layer's index in the specification.</param>
    /// <returns>Its parameters that require gradients.</returns>
    internal IEnumerable<Parameter> TrainableParameters(int layer) => _children[layer].parameters().Where(p => p.requires_grad);

    /// <summary>Sets training or evaluation mode; frozen layers and batch norms (<see cref="Freeze"/>) stay in evaluation mode.</summary>
    /// <param name="on">True for training mode.</param>
    public override void train(bool on = true)
    {
        base.train(on);
        foreach (var module in _alwaysEval) module.eval();
    }

    /// <summary>
    /// Applies the <see cref="NetworkSpec.InputNormalization"/> to a batch of images, as evaluation mode does before the
    /// layers (without the test-time views). Without normalization the batch is returned unchanged.
    /// </summary>
    /// <param name="images">A flat batch (N, C*H*W) or an image batch (N, C, H, W).</param>
    /// <returns>The normalized images (N, C, H', W'), H' x W' the size the layers see.</returns>
    public Tensor NormalizeInputs(Tensor images) => NormalizeInputs(Spec, images);

    /// <summary>
    /// <see cref="NormalizeInputs(Tensor)"/> without a module, for a trainer that normalizes its items before it builds
    /// the network.
    /// </summary>
    /// <param name="spec">The specification whose <see cref="NetworkSpec.InputNormalization"/> to apply.</param>
    /// <param name="images">A flat batch (N, C*H*W) or an image batch (N, C, H, W) at the input size.</param>
    /// <returns>The normalized images (N, C, H', W'), or the images as they are without a normalization.</returns>
    internal static Tensor NormalizeInputs(NetworkSpec spec, Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = AsImages(images, new long[] { spec.Channels, spec.Height, spec.Width });
        if (spec.InputNormalization is not { } normalization)
            return x.alias().MoveToOuterDisposeScope();
        using var noGrad = no_grad();
        var geometry = spec.Geometry;
        var identity = EmbeddingView.Identity.SamplingGrid(geometry.Height, geometry.Width);
        return Resample(x, identity, new long[] { geometry.Channels, geometry.Height, geometry.Width }, normalization.Measure(x)).MoveToOuterDisposeScope();
    }

    private static Tensor AsImages(Tensor input, long[] shape) => input.dim() == 2 ? input.view(input.shape[0], shape[0], shape[1], shape[2]) : input;

    /// <summary>
    /// Samples a view of each image: the view's grid as it is (edge pixels repeat beyond the border), or, with a measured
    /// normalization, moved to each image's centre of mass and scaled by its zoom (zeros beyond the border).
    /// </summary>
    private static Tensor Resample(Tensor x, float[] viewGrid, long[] layerShape, (Tensor Centre, Tensor Zoom)? measured)
    {
        var grid = tensor(viewGrid, new long[] { 1, layerShape[1], layerShape[2], 2 }, device: x.device);
        if (measured is not { } m)
            return nn.functional.grid_sample(x, grid.expand(x.shape[0], -1, -1, -1), GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        return nn.functional.grid_sample(x, (grid * m.Zoom).Plus(m.Centre), GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
    }

    /// <summary>
    /// Copies every weight and running statistic out of the module, named "{layer index}.{weight|bias|running_mean|running_var}"
    /// as in the specification's layer list.
    /// </summary>
    /// <returns>The weights by name.</returns>
    public IReadOnlyDictionary<string, WeightTensor> ExportWeights()
    {
        var result = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            string key = name.StartsWith("_layers.", StringComparison.Ordinal) ? name["_layers.".Length..] : name;
            result[key] = ToWeight(tensor);
        }
        return result;
    }

    /// <summary>
    /// Copies weights named as <see cref="ExportWeights"/> names them into the module (e.g. pretrained weights, or the
    /// trained part of a network). Names the module does not have are an error; weights not given keep their values.
    /// </summary>
    /// <param name="weights">The weights by name.</param>
    /// <exception cref="ArgumentException">A name is unknown or a shape does not match.</exception>
    public void LoadWeights(IReadOnlyDictionary<string, WeightTensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var state = state_dict().ToDictionary(p => p.Key.StartsWith("_layers.", StringComparison.Ordinal) ? p.Key["_layers.".Length..] : p.Key, p => p.Value, StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var (name, weight) in weights)
        {
            if (!state.TryGetValue(name, out var target))
                throw new ArgumentException($"Network '{Spec.Name}' has no weight named '{name}'.", nameof(weights));
            if (!target.shape.SequenceEqual(weight.Shape) || weight.Values.Length != target.numel())
                throw new ArgumentException($"Weight '{name}' has shape [{string.Join(", ", weight.Shape)}]; network '{Spec.Name}' needs [{string.Join(", ", target.shape)}].", nameof(weights));
            using var source = tensor(weight.Values, weight.Shape);
            target.copy_(source);
        }
    }

    /// <summary>Copies a tensor to a <see cref="WeightTensor"/> (float32, CPU, contiguous).</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>Its shape and values.</returns>
    public static WeightTensor ToWeight(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        return new WeightTensor(cpu.shape.ToArray(), cpu.data<float>().ToArray());
    }

    private static nn.Module<Tensor, Tensor> Build(LayerSpec layer, TensorShape input)
    {
        switch (layer)
        {
            case Conv2dLayer c:
            {
                var conv = nn.Conv2d(input.Dimensions[0], c.OutChannels, c.KernelSize, stride: c.Stride, padding: c.Padding, bias: c.Bias);
                Initialize(conv.weight!, conv.bias, c.Init, input.Dimensions[0] * c.KernelSize * c.KernelSize, c.OutChannels * c.KernelSize * c.KernelSize);
                return conv;
            }
            case LinearLayer l:
            {
                var linear = nn.Linear(input.Size, l.OutFeatures);
                Initialize(linear.weight!, linear.bias, l.Init, input.Size, l.OutFeatures);
                return linear;
            }
            case BatchNorm2dLayer b:
                return new BatchNorm2dModule(input.Dimensions[0], b.Epsilon, b.Momentum);
            case ReluLayer:
                return nn.ReLU();
            case TanhLayer:
                return nn.Tanh();
            case MaxPool2dLayer p:
                return nn.MaxPool2d(p.KernelSize, p.Stride == 0 ? p.KernelSize : p.Stride, p.Padding);
            case ResidualBlockLayer r:
                return new ResidualBlock(input.Dimensions[0], r);
            case PixelNormalizeLayer n:
                return new PixelNormalize(n, input.Dimensions[0], input.Dimensions[1], input.Dimensions[2]);
            case AvgPool2dLayer p:
                return nn.AvgPool2d(p.KernelSize, p.Stride == 0 ? p.KernelSize : p.Stride);
            case GlobalAvgPoolLayer:
                return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten());
            case FlattenLayer:
                return nn.Flatten();
            case L2NormalizeLayer:
                return new L2Normalize();
            default:
                throw new NotSupportedException($"Layer {layer.GetType().Name} is not supported.");
        }
    }

    private static void Initialize(Parameter weight, Parameter? bias, WeightInit init, int fanIn, int fanOut)
    {
        using var noGrad = no_grad();
        switch (init)
        {
            case WeightInit.Default:
                return;
            case WeightInit.NarrowNormal:
                nn.init.normal_(weight, 0, 0.01);
                break;
            case WeightInit.He:
                nn.init.normal_(weight, 0, Math.Sqrt(2.0 / fanIn));
                break;
            case WeightInit.Glorot:
                double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
                nn.init.uniform_(weight, -limit, limit);
                break;
            case WeightInit.Identity:
                if (weight.dim() != 2)
                    throw new NotSupportedException("WeightInit.Identity is for linear layers (a 2-D weight).");
                nn.init.eye_(weight);
                break;
        }
        if (bias is not null) nn.init.zeros_(bias);
    }

    private sealed class L2Normalize : nn.Module<Tensor, Tensor>
    {
        public L2Normalize() : base("L2Normalize") { }

        public override Tensor forward(Tensor input) => nn.functional.normalize(input, p: 2, dim: 1, eps: 1e-12);
    }
}
