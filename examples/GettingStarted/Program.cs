// Code samples quoted by docs/getting-started.md and docs/deployment.md (see the #region markers).
// Run: dotnet run -c Release --project examples/GettingStarted
using Microsoft.ML;
using MLNet.Siamese.Data;
using MLNet.Siamese.Examples.GettingStarted;
using MLNet.Siamese.Examples.Shared;

string output = Path.Combine(Path.GetTempPath(), "mlnet-siamese-getting-started");
Directory.CreateDirectory(output);
string zip = FirstModel.Run(output);
Deployment.Score(zip);

// A fixed list of pairs: each of the first 20 characters' first drawing with its second drawing (same) and with the
// next character's first drawing (different).
var ml = new MLContext(seed: 1);
var characters = ImageFolder.Scan(EmbeddedOmniglot.FindSmall1(), new ImageFolderOptions { LabelDepth = 2 })
    .GroupBy(e => e.Label).Take(21).Select(g => g.Select(e => e.ImagePath).ToArray()).ToArray();
var pairs = Enumerable.Range(0, 20).SelectMany(c => new[]
{
    new ListedPairs.LabelledImagePair { LeftImagePath = characters[c][0], RightImagePath = characters[c][1], Label = true },
    new ListedPairs.LabelledImagePair { LeftImagePath = characters[c][0], RightImagePath = characters[c + 1][0], Label = false },
});
ITransformer scorer = ml.Model.Load(zip, out _);
using (scorer as IDisposable)
{
    var metrics = ListedPairs.Evaluate(ml, scorer, pairs);
    Console.WriteLine($"40 listed pairs: accuracy {metrics.Accuracy:P1} at the model's threshold, AUC {metrics.AreaUnderRocCurve:F3}");
}
