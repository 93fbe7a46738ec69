using System.Runtime.CompilerServices;

// The evaluation library reuses the similarity index's bounded top-k selection (Index/TopK.cs).
[assembly: InternalsVisibleTo("MLNet.Siamese.Evaluation")]

// The identifier (Trainers/Identification) and the pretrained-backbone featurizer check image files as the library's own decoder does (Data/ImageFileCheck.cs).
[assembly: InternalsVisibleTo("MLNet.Siamese.Trainers")]

// The scoring-only tool compiles the identification sources of MLNet.Siamese.Trainers into itself (no TorchSharp), and
// they read model zips through Transforms' internal zip reader (ModelFiles/OnnxZipEntries.cs).
[assembly: InternalsVisibleTo("siamese-scoring")]
