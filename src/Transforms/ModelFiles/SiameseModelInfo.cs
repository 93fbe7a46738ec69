using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;

namespace MLNet.Siamese.ModelFiles;

/// <summary>
/// What a saved MLNet.Siamese model zip is, read from the metadata its ONNX graphs carry (<c>mlnet_siamese.*</c>) and
/// the input schema saved with it: the network, the loss it was trained with, the decision threshold, the input columns,
/// and for an identifier the gallery it holds. Read with <see cref="Read"/>; <c>siamese info --model M.zip</c> prints it.
/// </summary>
public sealed record SiameseModelInfo
{
    /// <summary>The zip, as a full path.</summary>
    public required string Path { get; init; }

    /// <summary>The network preset's name (<c>compact</c>, <c>koch</c>, ...), or null when the zip has no network metadata.</summary>
    public string? NetworkName { get; init; }

    /// <summary>The whole network specification as JSON (<c>NetworkSpec.FromJson</c> reads it), or null.</summary>
    public string? NetworkJson { get; init; }

    /// <summary>The training objective (a <c>SiameseLoss</c> name), or null.</summary>
    public string? Loss { get; init; }

    /// <summary>The pair scorer's decision threshold on the score (0..1), or null.</summary>
    public double? Threshold { get; init; }

    /// <summary>The input columns the zip reads, with their types.</summary>
    public required IReadOnlyList<string> InputColumns { get; init; }

    /// <summary>The number of enrolled gallery items when the zip is an identifier, else null.</summary>
    public int? GalleryItems { get; init; }

    /// <summary>
    /// For a model trained on a pretrained backbone with held-out classes: what they scored and which head the model is
    /// (the untrained identity, a whitened start, or a trained head), as <c>TrainingSummary.DescribeHeldOutChoice</c>
    /// said after training; null otherwise.
    /// </summary>
    public string? HeldOutChoice { get; init; }

    /// <summary>Every <c>mlnet_siamese.*</c> metadata entry of the zip's ONNX graphs (the first value of each key).</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>Reads the description of a model zip after verifying it (<see cref="SiameseModelFile.Load"/>).</summary>
    /// <param name="mlContext">The ML.NET context used to read the saved input schema.</param>
    /// <param name="path">The model zip.</param>
    /// <returns>The description.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is damaged, not an ML.NET model, or an ONNX graph in it is malformed; the message names the file.</exception>
    public static SiameseModelInfo Read(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(path);
        string full = System.IO.Path.GetFullPath(path);
        var model = SiameseModelFile.Load(mlContext, full, out var schema);
        (model as IDisposable)?.Dispose();
        var metadata = ReadMetadata(full);
        string? networkJson = metadata.GetValueOrDefault("mlnet_siamese.network");
        return new SiameseModelInfo
        {
            Path = full,
            NetworkJson = networkJson,
            NetworkName = networkJson is null ? null : NetworkNameOf(networkJson),
            Loss = metadata.GetValueOrDefault("mlnet_siamese.loss"),
            Threshold = ThresholdIn(metadata),
            GalleryItems = metadata.TryGetValue("mlnet_siamese.gallery.items", out var g) && int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var items) ? items : null,
            HeldOutChoice = metadata.GetValueOrDefault("mlnet_siamese.held_out_choice"),
            InputColumns = schema?.Select(c => $"{c.Name}: {c.Type}").ToArray() ?? [],
            Metadata = metadata,
        };
    }

    /// <summary>The pair threshold that <see cref="ReadMetadata"/>'s entries record, or null when they record none.</summary>
    /// <param name="metadata">A model zip's metadata.</param>
    /// <returns>The threshold.</returns>
    public static double? ThresholdIn(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.TryGetValue("mlnet_siamese.threshold", out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) ? threshold : null;
    }

    /// <summary>
    /// Every <c>mlnet_siamese.*</c> metadata entry of the ONNX graphs in a model zip (the first value of each key),
    /// without loading the model.
    /// </summary>
    /// <param name="path">The model zip.</param>
    /// <returns>The entries; empty for a zip with no MLNet.Siamese graph.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is damaged or not a zip, or an ONNX graph in it is malformed; the message names the file.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = System.IO.Path.GetFullPath(path);
        SiameseModelFile.Verify(full);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (entry, bytes) in OnnxZipEntries.Read(full))
        {
            try
            {
                foreach (var (key, value) in ReadMetadataProps(bytes))
                    if (key.StartsWith("mlnet_siamese.", StringComparison.Ordinal))
                        metadata.TryAdd(key, value);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"Model file '{full}': ONNX entry '{entry}' is malformed ({e.Message}).", e);
            }
        }
        return metadata;
    }

    /// <summary>The <c>metadata_props</c> (field 14 of ModelProto: key 1, value 2) of a serialized ONNX model.</summary>
    internal static List<(string Key, string Value)> ReadMetadataProps(ReadOnlySpan<byte> model)
    {
        var result = new List<(string, string)>();
        int position = 0;
        while (position < model.Length)
        {
            ulong tag = ProtoWire.ReadVarint(model, ref position);
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            switch (wire)
            {
                case 0: ProtoWire.ReadVarint(model, ref position); break;
                case 1: ProtoWire.Skip(model, ref position, 8); break;
                case 5: ProtoWire.Skip(model, ref position, 4); break;
                case 2:
                    var payload = ProtoWire.ReadPayload(model, ref position);
                    if (field == 14)
                        result.Add(ReadEntry(payload));
                    break;
                default: throw new InvalidDataException($"unsupported wire type {wire}");
            }
        }
        return result;
    }

    private static (string, string) ReadEntry(ReadOnlySpan<byte> entry)
    {
        string key = "", value = "";
        int position = 0;
        while (position < entry.Length)
        {
            ulong tag = ProtoWire.ReadVarint(entry, ref position);
            if ((tag & 7) != 2)
                throw new InvalidDataException("a metadata entry field is not a string");
            var text = Encoding.UTF8.GetString(ProtoWire.ReadPayload(entry, ref position));
            if (tag >> 3 == 1) key = text;
            else if (tag >> 3 == 2) value = text;
        }
        return (key, value);
    }

    private static string? NetworkNameOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("Name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
