using Microsoft.ML;
using MLNet.Siamese.Identification;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Embeds items with any model zip the library writes: a pair scorer (<see cref="ModelFile"/>, each item fed as both
/// sides), or an embedder (the Photos example's <c>photos-embedder.zip</c>) or an identifier, through its own embedding
/// chain (<see cref="GalleryEmbedder"/>, as <c>enroll</c> reads it). Dispose it.
/// </summary>
internal sealed class ItemEmbedder : IDisposable
{
    private readonly MLContext _ml;
    private readonly ModelFile? _pairScorer;
    private readonly GalleryEmbedder? _embedder;

    private ItemEmbedder(MLContext ml, ModelFile? pairScorer, GalleryEmbedder? embedder)
    {
        _ml = ml;
        _pairScorer = pairScorer;
        _embedder = embedder;
    }

    /// <summary>The pair scorer, when the zip is one; null for an embedder or an identifier, which give no pair scores.</summary>
    public ModelFile? PairScorer => _pairScorer;

    /// <summary>The model zip.</summary>
    public string Path { get; private init; } = "";

    /// <summary>
    /// True when the pair score is a decreasing function of the embedding distance (every loss but the learned binary
    /// cross-entropy head), read from the model's metadata: matching by score then equals matching by distance.
    /// </summary>
    public bool ScoreFollowsDistance
        => MLNet.Siamese.ModelFiles.SiameseModelInfo.ReadMetadata(Path).TryGetValue("mlnet_siamese.loss", out var loss) && loss != "BinaryCrossEntropy";

    /// <summary>Images or feature vectors: what the model takes.</summary>
    public InputKind Kind => _pairScorer?.Kind ?? (_embedder!.TakesImages ? InputKind.Images : InputKind.Features);

    /// <summary>Opens <paramref name="path"/>; a file that is none of the three is a usage error naming it.</summary>
    public static ItemEmbedder Open(MLContext ml, string path)
    {
        var pairScorer = ModelFile.TryLoad(ml, path, out var notAPairScorer);
        string full = System.IO.Path.GetFullPath(path);
        if (pairScorer is not null)
            return new ItemEmbedder(ml, pairScorer, null) { Path = full };
        try
        {
            return new ItemEmbedder(ml, null, GalleryEmbedder.FromFile(ml, path)) { Path = full };
        }
        catch (InvalidDataException e)
        {
            throw new CliUsageException($"{notAPairScorer![..^1]}, nor an embedder written by MLNet.Siamese ({e.Message})", e);
        }
    }

    /// <summary>Checks that <paramref name="items"/> are what the model takes; <paramref name="option"/> names them in the message.</summary>
    public void CheckCompatible(ItemSet items, string option)
    {
        if (_pairScorer is not null)
            _pairScorer.CheckCompatible(items, option);
        else
            IdentificationInputs.CheckKind(items, _embedder!, option);
    }

    /// <summary>One embedding per item.</summary>
    public float[][] Embed(ItemSet items, string option)
    {
        CheckCompatible(items, option);
        return _pairScorer is not null ? _pairScorer.Embed(items)
            : _embedder!.Embed(IdentificationInputs.ToDataView(_ml, items, _embedder, option), option);
    }

    /// <inheritdoc/>
    public void Dispose() => _pairScorer?.Dispose();
}
