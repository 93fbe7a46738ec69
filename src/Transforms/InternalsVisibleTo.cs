using System.Runtime.CompilerServices;

// The evaluation library reuses the similarity index's bounded top-k selection (Index/TopK.cs).
[assembly: InternalsVisibleTo("MLNet.Siamese.Evaluation")]

// The identifier (Trainers/Identification) and the pretrained-backbone featurizer check image files as the library's own decoder does (Data/ImageFileCheck.cs).
[assembly: InternalsVisibleTo("MLNet.Siamese.Trainers")]

// The siamese tool (and its scoring-only build), the fuzz targets and the benchmarks are this repository's own programs: they reach plumbing that
// users do not need (safe file output, the one sampler and random generator). The scoring-only tool also compiles the
// identification sources of MLNet.Siamese.Trainers into itself (no TorchSharp); they read model zips through the
// internal zip reader (ModelFiles/OnnxZipEntries.cs).
[assembly: InternalsVisibleTo("siamese")]
[assembly: InternalsVisibleTo("siamese-scoring")]
[assembly: InternalsVisibleTo("MLNet.Siamese.Fuzz")]
[assembly: InternalsVisibleTo("MLNet.Siamese.Bench")]

// The tests judge the temporary-folder cleanup (Files/OwnedTempFolder.cs and its stamp and reaper) directly.
[assembly: InternalsVisibleTo("MLNet.Siamese.Tests")]
