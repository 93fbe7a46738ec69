namespace MLNet.Siamese.Examples.Identification;

/// <summary>Input row of the identifier for a PredictionEngine: one image path.</summary>
internal sealed class ImageFolderEntryRow
{
    /// <summary>The image file.</summary>
    public string ImagePath { get; set; } = "";
}
