using System.Runtime.CompilerServices;

// The evaluation library reuses the similarity index's bounded top-k selection (Index/TopK.cs).
[assembly: InternalsVisibleTo("MLNet.Siamese.Evaluation")]

// The trainer's pretrained-backbone featurizer checks each image file as the library's own decoder does (Data/ImageFileCheck.cs).
[assembly: InternalsVisibleTo("MLNet.Siamese.Trainers")]
