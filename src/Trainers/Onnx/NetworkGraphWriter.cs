using System.Globalization;
using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Onnx;

/// <summary>
/// Writes the layers of a <see cref="NetworkSpec"/> as ONNX nodes: flat input (N, C*H*W) reshaped to NCHW, then one
/// or two nodes per layer. Weights become initializers named as in <see cref="EmbeddingNetwork.ExportWeights"/>
/// ("{layer}.weight", ...), so writing the network twice (the two branches of a pair) stores them once.
/// </summary>
internal sealed class NetworkGraphWriter
{
    /// <summary>The epsilon of F.normalize used by <see cref="L2NormalizeLayer"/>.</summary>
    private const float L2Epsilon = 1e-12f;

    private readonly NetworkSpec _spec;
    private readonly IReadOnlyList<TensorShape> _shapes;
    private readonly IReadOnlyDictionary<string, WeightTensor> _weights;

    /// <summary>Checks the specification (its shape inference) and that every weight it needs is present with the right shape.</summary>
    /// <exception cref="InvalidOperationException">The specification does not infer shapes.</exception>
    /// <exception cref="ArgumentException">A weight is missing or has the wrong shape.</exception>
    public NetworkGraphWriter(NetworkSpec spec, IReadOnlyDictionary<string, WeightTensor> weights)
    {
        _spec = spec;
        _weights = weights;
        _shapes = spec.InferShapes();
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var input = _shapes[i];
            switch (spec.Layers[i])
            {
                case Conv2dLayer c:
                    Require(weights, Key(i, "weight"), c.OutChannels, input.Dimensions[0], c.KernelSize, c.KernelSize);
                    if (c.Bias) Require(weights, Key(i, "bias"), c.OutChannels);
                    break;
                case ResidualBlockLayer r:
                    ResidualBlockWriter.RequireWeights(weights, Key(i, ""), input.Dimensions[0], r);
                    break;
                case PixelNormalizeLayer:
                    Require(weights, Key(i, "mean"), input.Dimensions[0], input.Dimensions[1], input.Dimensions[2]);
                    break;
                case BatchNorm2dLayer:
                    foreach (var part in new[] { "weight", "bias", "running_mean", "running_var" })
                        Require(weights, Key(i, part), input.Dimensions[0]);
                    break;
                case LinearLayer l:
                    Require(weights, Key(i, "weight"), l.OutFeatures, input.Size);
                    Require(weights, Key(i, "bias"), l.OutFeatures);
                    break;
            }
        }
    }

    /// <summary>Length of the embedding.</summary>
    public int EmbeddingDimension => _shapes[^1].Size;

    /// <summary>Input length C*H*W.</summary>
    public int InputSize => _spec.InputSize;

    /// <summary>Writes the network from <paramref name="input"/> (N, C*H*W) to <paramref name="output"/> (N, D).</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="input">Name of the flat input value.</param>
    /// <param name="prefix">Prefix of the intermediate value names, distinct per branch.</param>
    /// <param name="output">Name of the embedding value.</param>
    public void Write(OnnxGraphBuilder graph, string input, string prefix, string output)
    {
        var shape = graph.Int64Initializer("image_shape", new long[] { 4 }, new long[] { -1, _spec.Channels, _spec.Height, _spec.Width });
        string x = graph.Node("Reshape", prefix + "image", new[] { input, shape });
        var views = _spec.TestTimeViews;
        if (_spec.InputNormalization is { } normalization) x = WriteNormalizedViews(graph, normalization, views, x, prefix);
        else if (views is { Count: > 0 }) x = WriteViews(graph, views, x, prefix);
        int count = _spec.Layers.Count;
        int merge = views is { Count: > 0 } ? _spec.TestTimeViewsMergeAfter ?? count : -1;
        for (int i = 0; i < count; i++)
        {
            var layer = _spec.Layers[i];
            bool last = i == count - 1;
            string y = last && merge != count ? output : prefix + Key(i, layer.GetType().Name.Replace("Layer", "", StringComparison.Ordinal).ToLowerInvariant());
            x = WriteLayer(graph, layer, i, x, y);
            if (i == merge - 1)
                x = WriteViewMean(graph, views!.Count, _shapes[merge], x, last ? output : prefix + "views/mean");
        }
    }

    /// <summary>
    /// The mean over the test-time views of values stacked view after view: (V*N, ...) -> (V, N, ...) -> mean over the
    /// views, (N, ...). After the last layer it is the embedding; after <see cref="NetworkSpec.TestTimeViewsMergeAfter"/>
    /// layers, what the remaining layers take.
    /// </summary>
    private static string WriteViewMean(OnnxGraphBuilder graph, int views, TensorShape shape, string stacked, string output)
    {
        string name = "views_shape_" + string.Join('x', shape.Dimensions);
        var byView = graph.Int64Initializer(name, new long[] { 2 + shape.Dimensions.Count }, [views, -1, .. shape.Dimensions.Select(d => (long)d)]);
        string reshaped = graph.Node("Reshape", output + "/by_view", new[] { stacked, byView });
        return graph.Node("ReduceMean", output, new[] { reshaped }, OnnxProto.IntsAttribute("axes", 0), OnnxProto.IntAttribute("keepdims", 0));
    }

    /// <summary>
    /// Writes the test-time views of an (N, C, H, W) image batch, stacked view after view into (V*N, C, H, W). The batch
    /// is folded into channels, (1, N*C, H, W), so that each view's sampling grid is one constant (1, H, W, 2) tensor.
    /// </summary>
    private string WriteViews(OnnxGraphBuilder graph, IReadOnlyList<EmbeddingView> views, string image, string prefix)
    {
        int h = _spec.Height, w = _spec.Width;
        var folded = graph.Int64Initializer("views_folded_shape", new long[] { 4 }, new long[] { 1, -1, h, w });
        var unfolded = graph.Int64Initializer("views_unfolded_shape", new long[] { 4 }, new long[] { -1, _spec.Channels, h, w });
        string x = graph.Node("Reshape", prefix + "views/folded", new[] { image, folded });
        var outputs = new string[views.Count];
        for (int v = 0; v < views.Count; v++)
        {
            string id = v.ToString(CultureInfo.InvariantCulture);
            string grid = graph.FloatInitializer("view" + id + ".grid", new long[] { 1, h, w, 2 }, views[v].SamplingGrid(h, w));
            string sampled = GridSample(graph, prefix + "views/" + id + "/sampled", x, grid, "border");
            outputs[v] = graph.Node("Reshape", prefix + "views/" + id + "/image", new[] { sampled, unfolded });
        }
        return views.Count == 1 ? outputs[0] : graph.Node("Concat", prefix + "views/images", outputs, OnnxProto.IntAttribute("axis", 0));
    }

    /// <summary>
    /// Writes the <see cref="MomentNormalization"/> of an (N, C, H, W) image batch, composed with each test-time view
    /// (or with the unchanged image when there are none): the ink's centre of mass and zoom per image, then one
    /// GridSample per view whose grid is the view's constant grid scaled by the zoom and moved to the centre, stacked
    /// view after view into (V*N, C, H, W). The arithmetic is that of <c>MomentMeasurement.Measure</c> and
    /// <c>EmbeddingNetwork</c>, operation for operation.
    /// </summary>
    private string WriteNormalizedViews(OnnxGraphBuilder graph, MomentNormalization normalization, IReadOnlyList<EmbeddingView>? views, string image, string prefix)
    {
        var geometry = _spec.Geometry;
        int h = geometry.DecodedHeight, w = geometry.DecodedWidth, outH = geometry.Height, outW = geometry.Width;
        string p = prefix + "normalize/";
        string axes = graph.Int64Initializer("normalize.axes", new long[] { 3 }, new long[] { 1, 2, 3 });
        string xs = graph.FloatInitializer("normalize.x", new long[] { 1, 1, 1, w }, MomentNormalization.PixelCentres(w));
        string ys = graph.FloatInitializer("normalize.y", new long[] { 1, 1, h, 1 }, MomentNormalization.PixelCentres(h));
        string Sum(string name, string value) => graph.Node("ReduceSum", p + name, new[] { value, axes }, OnnxProto.IntAttribute("keepdims", 1));
        string ink = graph.Node("Relu", p + "ink", new[] { image });
        string mass = graph.Node("Add", p + "mass", new[] { Sum("mass_sum", ink), graph.FloatScalar("normalize.mass_epsilon", MomentNormalization.MassEpsilon) });
        string cx = graph.Node("Div", p + "cx", new[] { Sum("mx", graph.Node("Mul", p + "ink_x", new[] { ink, xs })), mass });
        string cy = graph.Node("Div", p + "cy", new[] { Sum("my", graph.Node("Mul", p + "ink_y", new[] { ink, ys })), mass });
        string dx = graph.Node("Sub", p + "dx", new[] { xs, cx });
        string dy = graph.Node("Sub", p + "dy", new[] { ys, cy });
        string d2 = graph.Node("Add", p + "d2", new[] { graph.Node("Mul", p + "dx2", new[] { dx, dx }), graph.Node("Mul", p + "dy2", new[] { dy, dy }) });
        string radius2 = graph.Node("Div", p + "radius2", new[] { Sum("m2", graph.Node("Mul", p + "ink_d2", new[] { ink, d2 })), mass });
        string scaled = graph.Node("Mul", p + "zoom_unclipped", new[] { graph.Node("Sqrt", p + "radius", new[] { radius2 }),
            graph.FloatScalar("normalize.inverse_target", (float)(1 / (2 * normalization.Spread))) });
        string zoom = graph.Node("Clip", p + "zoom", new[] { scaled, graph.FloatScalar("normalize.min_zoom", MomentNormalization.MinZoom), graph.FloatScalar("normalize.max_zoom", MomentNormalization.MaxZoom) });
        string centre = graph.Node("Concat", p + "centre", new[] { cx, cy }, OnnxProto.IntAttribute("axis", 3));
        var grids = views is { Count: > 0 } ? views.Select((v, i) => ("view" + i.ToString(CultureInfo.InvariantCulture) + ".grid", v)).ToList()
            : [("normalize.identity_grid", EmbeddingView.Identity)];
        var outputs = new string[grids.Count];
        for (int v = 0; v < grids.Count; v++)
        {
            string id = v.ToString(CultureInfo.InvariantCulture);
            string constant = graph.FloatInitializer(grids[v].Item1, new long[] { 1, outH, outW, 2 }, grids[v].Item2.SamplingGrid(outH, outW));
            string grid = graph.Node("Add", p + id + "/grid", new[] { graph.Node("Mul", p + id + "/grid_scaled", new[] { constant, zoom }), centre });
            outputs[v] = GridSample(graph, p + id + "/image", image, grid, "zeros");
        }
        return outputs.Length == 1 ? outputs[0] : graph.Node("Concat", p + "images", outputs, OnnxProto.IntAttribute("axis", 0));
    }

    /// <summary>Bilinear GridSample with align_corners 0, as TorchSharp's grid_sample is called.</summary>
    private static string GridSample(OnnxGraphBuilder graph, string output, string image, string grid, string paddingMode) =>
        graph.Node("GridSample", output, new[] { image, grid },
            OnnxProto.StringAttribute("mode", "bilinear"),
            OnnxProto.StringAttribute("padding_mode", paddingMode),
            OnnxProto.IntAttribute("align_corners", 0));

    private string WriteLayer(OnnxGraphBuilder graph, LayerSpec layer, int i, string x, string y)
    {
        switch (layer)
        {
            case Conv2dLayer c:
                return graph.Node("Conv", y, c.Bias ? new[] { x, Weight(graph, i, "weight"), Weight(graph, i, "bias") } : new[] { x, Weight(graph, i, "weight") },
                    OnnxProto.IntsAttribute("kernel_shape", c.KernelSize, c.KernelSize),
                    OnnxProto.IntsAttribute("strides", c.Stride, c.Stride),
                    OnnxProto.IntsAttribute("pads", c.Padding, c.Padding, c.Padding, c.Padding));
            case ResidualBlockLayer r:
                return new ResidualBlockWriter(graph, _weights, Key(i, "")).Write(r, _shapes[i].Dimensions[0], x, y);
            case PixelNormalizeLayer n:
                string order = graph.Int64Initializer(Key(i, "order"), new long[] { n.ChannelOrder.Count }, n.ChannelOrder.Select(c => (long)c).ToArray());
                string reordered = graph.Node("Gather", y + ".reordered", new[] { x, order }, OnnxProto.IntAttribute("axis", 1));
                string scaled = graph.Node("Mul", y + ".scaled", new[] { reordered, graph.FloatScalar(Key(i, "scale"), (float)n.Scale) });
                return graph.Node("Sub", y, new[] { scaled, Weight(graph, i, "mean") });
            case BatchNorm2dLayer b:
                return graph.Node("BatchNormalization", y,
                    new[] { x, Weight(graph, i, "weight"), Weight(graph, i, "bias"), Weight(graph, i, "running_mean"), Weight(graph, i, "running_var") },
                    OnnxProto.FloatAttribute("epsilon", (float)b.Epsilon));
            case ReluLayer:
                return graph.Node("Relu", y, new[] { x });
            case TanhLayer:
                return graph.Node("Tanh", y, new[] { x });
            case MaxPool2dLayer p:
                return Pool(graph, "MaxPool", p.KernelSize, p.Stride, x, y, p.Padding);
            case AvgPool2dLayer p:
                return Pool(graph, "AveragePool", p.KernelSize, p.Stride, x, y);
            case GlobalAvgPoolLayer:
                string pooled = graph.Node("GlobalAveragePool", y + ".pooled", new[] { x });
                return graph.Node("Flatten", y, new[] { pooled }, OnnxProto.IntAttribute("axis", 1));
            case FlattenLayer:
                return graph.Node("Flatten", y, new[] { x }, OnnxProto.IntAttribute("axis", 1));
            case LinearLayer:
                return graph.Node("Gemm", y, new[] { x, Weight(graph, i, "weight"), Weight(graph, i, "bias") }, OnnxProto.IntAttribute("transB", 1));
            case L2NormalizeLayer:
                string norm = graph.Node("ReduceL2", y + ".norm", new[] { x }, OnnxProto.IntsAttribute("axes", 1), OnnxProto.IntAttribute("keepdims", 1));
                string clamped = graph.Node("Max", y + ".clamped", new[] { norm, graph.FloatScalar("l2_epsilon", L2Epsilon) });
                return graph.Node("Div", y, new[] { x, clamped });
            default:
                throw new NotSupportedException($"Layer {i} ({layer.GetType().Name}) cannot be exported to ONNX.");
        }
    }

    private static string Pool(OnnxGraphBuilder graph, string op, int kernel, int stride, string x, string y, int padding = 0) =>
        graph.Node(op, y, new[] { x },
            OnnxProto.IntsAttribute("kernel_shape", kernel, kernel),
            OnnxProto.IntsAttribute("strides", stride == 0 ? kernel : stride, stride == 0 ? kernel : stride),
            OnnxProto.IntsAttribute("pads", padding, padding, padding, padding));

    private string Weight(OnnxGraphBuilder graph, int layer, string part)
    {
        string name = Key(layer, part);
        var w = _weights[name];
        return graph.FloatInitializer(name, w.Shape, w.Values);
    }

    private static string Key(int layer, string part) => layer.ToString(CultureInfo.InvariantCulture) + "." + part;

    /// <summary>Checks that <paramref name="weights"/> holds <paramref name="name"/> with shape <paramref name="dims"/>.</summary>
    /// <exception cref="ArgumentException">Missing, wrong shape, or the value count does not match the shape.</exception>
    public static WeightTensor Require(IReadOnlyDictionary<string, WeightTensor> weights, string name, params long[] dims)
    {
        if (!weights.TryGetValue(name, out var w) || w is null)
            throw new ArgumentException($"Weight '{name}' is missing; expected shape [{string.Join(", ", dims)}].", nameof(weights));
        if (w.Shape is null || !w.Shape.SequenceEqual(dims))
            throw new ArgumentException($"Weight '{name}' has shape [{string.Join(", ", w.Shape ?? Array.Empty<long>())}]; expected [{string.Join(", ", dims)}].", nameof(weights));
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (w.Values is null || w.Values.Length != count)
            throw new ArgumentException($"Weight '{name}' has {w.Values?.Length ?? 0} values; its shape [{string.Join(", ", dims)}] needs {count}.", nameof(weights));
        return w;
    }
}
