using System.Text.Json.Nodes;

namespace MLNet.Siamese.Cli;

/// <summary>JSON has no NaN or infinity: such values are written as null.</summary>
internal static class JsonNumbers
{
    public static JsonNode? Of(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    public static JsonNode? Of(double? value) => value is { } v ? Of(v) : null;
}
