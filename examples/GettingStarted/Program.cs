// Code samples quoted by docs/getting-started.md and docs/deployment.md (see the #region markers).
// Run: dotnet run -c Release --project examples/GettingStarted
using MLNet.Siamese.Examples.GettingStarted;

string output = Path.Combine(Path.GetTempPath(), "mlnet-siamese-getting-started");
Directory.CreateDirectory(output);
string zip = FirstModel.Run(output);
Deployment.Score(zip);
