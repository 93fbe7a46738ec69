// Usage: MLNet.Siamese.ScoringOnly MODEL.zip PAIRS.csv
//        MLNet.Siamese.ScoringOnly --identify IDENTIFIER.zip ITEMS.csv
// PAIRS.csv: one pair per line, "left values;right values", values comma-separated (invariant culture); for an image
// model (input columns LeftImagePath and RightImagePath, e.g. a photo model whose zip holds ImageAnalytics, the ResNet18
// ONNX and the head ONNX), "left image path;right image path".
// Prints one line per pair: "score distance predictedLabel" with round-trip float formatting.
// ITEMS.csv: one feature vector per line; prints "predictedLabel distance neighbourId,neighbourId,..." per line.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

var ml = new MLContext(seed: 0);
if (args.Length == 3 && args[0] == "--identify")
    return Identify(ml, args[1], args[2]);
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: MLNet.Siamese.ScoringOnly MODEL.zip PAIRS.csv | --identify IDENTIFIER.zip ITEMS.csv");
    return 2;
}
var model = ml.Model.Load(args[0], out var inputSchema);
using var ownsModel = model as IDisposable;   // disposing deletes the ONNX copies ML.NET made in $TMPDIR to load it
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

static int Identify(MLContext ml, string modelPath, string itemsPath)
{
    var identifier = ml.Model.Load(modelPath, out var schema);
    using var ownsIdentifier = identifier as IDisposable;
    int length = ((VectorDataViewType)schema["Features"].Type).Size;
    var definition = SchemaDefinition.Create(typeof(Item));
    definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
    var engine = ml.Model.CreatePredictionEngine<Item, Identified>(identifier, inputSchemaDefinition: definition);
    foreach (var line in File.ReadAllLines(itemsPath).Where(l => l.Length > 0))
    {
        var answer = engine.Predict(new Item { Features = line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray() });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{answer.PredictedLabel[0]} {answer.Distance[0]:R} {string.Join(",", answer.NeighborIds)}"));
    }
    return 0;
}

internal sealed class Item
{
    public float[] Features { get; set; } = Array.Empty<float>();
}

internal sealed class Identified
{
    public string[] PredictedLabel { get; set; } = Array.Empty<string>();
    public float[] Distance { get; set; } = Array.Empty<float>();
    public string[] NeighborIds { get; set; } = Array.Empty<string>();
}

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
