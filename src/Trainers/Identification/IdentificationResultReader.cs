using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Identification;

/// <summary>
/// Reads an identifier's output columns in one pass over the scored view: reading them one column at a time would run
/// the whole pipeline (decoding and embedding every query) once per column.
/// </summary>
internal static class IdentificationResultReader
{
    public static List<IdentificationResult> ReadAll(IDataView scored)
    {
        var schema = scored.Schema;
        var ids = schema[IdentificationColumns.NeighborIds];
        var labels = schema[IdentificationColumns.NeighborLabels];
        var distances = schema[IdentificationColumns.NeighborDistances];
        var known = schema[IdentificationColumns.IsKnown];
        var answers = schema[IdentificationColumns.PredictedLabel];
        var confidence = schema[IdentificationColumns.Confidence];
        using var cursor = scored.GetRowCursor([ids, labels, distances, known, answers, confidence]);
        var getIds = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(ids);
        var getLabels = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(labels);
        var getDistances = cursor.GetGetter<VBuffer<float>>(distances);
        var getKnown = cursor.GetGetter<VBuffer<bool>>(known);
        var getAnswers = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(answers);
        var getConfidence = cursor.GetGetter<VBuffer<float>>(confidence);
        VBuffer<ReadOnlyMemory<char>> idValues = default, labelValues = default, answerValues = default;
        VBuffer<float> distanceValues = default, confidenceValues = default;
        VBuffer<bool> knownValues = default;
        var results = new List<IdentificationResult>();
        while (cursor.MoveNext())
        {
            getIds(ref idValues);
            getLabels(ref labelValues);
            getDistances(ref distanceValues);
            getKnown(ref knownValues);
            getAnswers(ref answerValues);
            getConfidence(ref confidenceValues);
            var neighborDistances = distanceValues.DenseValues().ToArray();
            results.Add(new IdentificationResult(
                idValues.DenseValues().Select(v => v.ToString()).ToArray(),
                labelValues.DenseValues().Select(v => v.ToString()).ToArray(),
                neighborDistances, neighborDistances[0], knownValues.DenseValues().First(), answerValues.DenseValues().First().ToString(),
                confidenceValues.DenseValues().First()));
        }
        return results;
    }
}
