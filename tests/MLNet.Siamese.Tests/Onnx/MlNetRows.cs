using Microsoft.ML.Data;

namespace MLNet.Siamese.Tests.Onnx;

/// <summary>ML.NET row classes for 28x28 models exported with the default tensor names.</summary>
public sealed class EmbedderInput
{
    /// <summary>Flat 28x28 image.</summary>
    [VectorType(784)]
    public float[] Features { get; set; } = new float[784];
}

/// <summary>Embedder output: ML.NET sees (N, D) as Vector&lt;Single, 1, D&gt;.</summary>
public sealed class EmbedderOutput
{
    /// <summary>The embedding.</summary>
    public float[] Embedding { get; set; } = Array.Empty<float>();
}

/// <summary>Pair model input.</summary>
public sealed class PairInput
{
    /// <summary>Flat left image.</summary>
    [VectorType(784)]
    public float[] LeftFeatures { get; set; } = new float[784];

    /// <summary>Flat right image.</summary>
    [VectorType(784)]
    public float[] RightFeatures { get; set; } = new float[784];
}

/// <summary>Pair model output: the per-pair (N) outputs are Vector&lt;Single, 1&gt; / Vector&lt;Boolean, 1&gt; columns.</summary>
public sealed class PairOutput
{
    /// <summary>One score.</summary>
    public float[] Score { get; set; } = Array.Empty<float>();

    /// <summary>One distance.</summary>
    public float[] Distance { get; set; } = Array.Empty<float>();

    /// <summary>One label.</summary>
    public bool[] PredictedLabel { get; set; } = Array.Empty<bool>();

    /// <summary>Left embedding.</summary>
    public float[] LeftEmbedding { get; set; } = Array.Empty<float>();

    /// <summary>Right embedding.</summary>
    public float[] RightEmbedding { get; set; } = Array.Empty<float>();
}
