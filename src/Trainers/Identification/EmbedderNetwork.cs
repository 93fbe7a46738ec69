using System.Security.Cryptography;
using MLNet.Siamese.Networks;
using MLNet.Siamese.Onnx;

namespace MLNet.Siamese.Identification;

/// <summary>
/// Recovers a trained network from any ONNX model this library exported (the embedder or the pair scorer: the network
/// specification is in the metadata, the weights are initializers), and fingerprints it: the SHA-256 of the embedder
/// re-exported with fixed names and no metadata, so the same weights give the same fingerprint whichever view they
/// were read from.
/// </summary>
internal static class EmbedderNetwork
{
    public const string NetworkMetadataKey = "mlnet_siamese.network";

    /// <summary>The network and weights of an exported model.</summary>
    /// <exception cref="InvalidDataException">The model carries no network specification.</exception>
    public static (NetworkSpec Spec, Dictionary<string, WeightTensor> Weights) Read(ReadOnlySpan<byte> onnx, string what)
        => Read(OnnxModelReader.Read(onnx), what);

    /// <summary>The network and weights of parsed model contents.</summary>
    /// <exception cref="InvalidDataException">The model carries no network specification.</exception>
    public static (NetworkSpec Spec, Dictionary<string, WeightTensor> Weights) Read(OnnxModelContents contents, string what)
    {
        if (!contents.Metadata.TryGetValue(NetworkMetadataKey, out var json))
            throw new InvalidDataException($"{what} has no '{NetworkMetadataKey}' metadata: it was not exported by MLNet.Siamese, so its embedder cannot be recovered.");
        var spec = NetworkSpec.FromJson(json);
        var weights = contents.Initializers.Values
            .Where(t => t.Floats is not null)
            .ToDictionary(t => t.Name, t => new WeightTensor(t.Dims, t.Floats!), StringComparer.Ordinal);
        return (spec, weights);
    }

    /// <summary>The fingerprint of the network in an exported model.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> onnx, string what)
    {
        var (spec, weights) = Read(onnx, what);
        return Fingerprint(spec, weights);
    }

    /// <summary>The fingerprint of a network: SHA-256 (hex) of its canonical embedder export.</summary>
    public static string Fingerprint(NetworkSpec spec, IReadOnlyDictionary<string, WeightTensor> weights)
        => Convert.ToHexStringLower(SHA256.HashData(OnnxExporter.ExportEmbedder(spec, weights, "Features", "Embedding")));
}
