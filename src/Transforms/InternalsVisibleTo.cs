using System.Runtime.CompilerServices;

// The evaluation library reuses the similarity index's bounded top-k selection (Index/TopK.cs).
[assembly: InternalsVisibleTo("MLNet.Siamese.Evaluation")]

// The identifier (Trainers/Identification) checks query and gallery image files as the trainer's decoder does (Data/ImageFileCheck.cs).
[assembly: InternalsVisibleTo("MLNet.Siamese.Trainers")]
