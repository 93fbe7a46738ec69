using System.Runtime.CompilerServices;

// The evaluation library reuses the similarity index's bounded top-k selection (Index/TopK.cs).
[assembly: InternalsVisibleTo("MLNet.Siamese.Evaluation")]
