// Usage: MLNet.Siamese.ScoringOnly MODEL.zip PAIRS.csv
// PAIRS.csv: one pair per line, "left values;right values", values comma-separated (invariant culture); for an image
// model (input columns LeftImagePath and RightImagePath, e.g. a photo model whose zip holds ImageAnalytics, the ResNet18
// ONNX and the head ONNX), "left image path;right image path".
// Prints one line per pair: "score distance predictedLabel" with round-trip float formatting.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: MLNet.Siamese.ScoringOnly MODEL.zip PAIRS.csv");
    return 2;
}
var ml = new MLContext(seed: 0);
var model = ml.Model.Load(args[0], out var inputSchema);
if (inputSchema.GetColumnOrNull("LeftImagePath") is not null)
{
    var imageEngine = ml.Model.CreatePredictionEngine<ImagePair, Scored>(model);
    foreach (var line in File.ReadAllLines(args[1]).Where(l => l.Length > 0))
    {
        var halves = line.Split(';');
        var p = imageEngine.Predict(new ImagePair { LeftImagePath = halves[0], RightImagePath = halves[1] });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Score[0]:R} {p.Distance[0]:R} {p.PredictedLabel[0]}"));
    }
    return 0;
}
int size = ((VectorDataViewType)inputSchema["LeftFeatures"].Type).Size;
var rows = File.ReadAllLines(args[1]).Where(l => l.Length > 0).Select(line =>
{
    var halves = line.Split(';');
    float[] Parse(string s) => s.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    return new Pair { LeftFeatures = Parse(halves[0]), RightFeatures = Parse(halves[1]) };
}).ToList();
var definition = SchemaDefinition.Create(typeof(Pair));
definition["LeftFeatures"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
definition["RightFeatures"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
var engine = ml.Model.CreatePredictionEngine<Pair, Scored>(model, inputSchemaDefinition: definition);
foreach (var row in rows)
{
    var p = engine.Predict(row);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Score[0]:R} {p.Distance[0]:R} {p.PredictedLabel[0]}"));
}
return 0;

internal sealed class Pair
{
    public float[] LeftFeatures { get; set; } = Array.Empty<float>();
    public float[] RightFeatures { get; set; } = Array.Empty<float>();
}

internal sealed class ImagePair
{
    public string LeftImagePath { get; set; } = string.Empty;
    public string RightImagePath { get; set; } = string.Empty;
}

internal sealed class Scored
{
    public float[] Score { get; set; } = Array.Empty<float>();
    public float[] Distance { get; set; } = Array.Empty<float>();
    public bool[] PredictedLabel { get; set; } = Array.Empty<bool>();
}
