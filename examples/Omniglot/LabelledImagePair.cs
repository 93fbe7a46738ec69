namespace MLNet.Siamese.Examples.Omniglot;

/// <summary>A row of <c>ml.Siamese().GeneratePairs</c> over image paths: a labelled pair of image files.</summary>
internal sealed class LabelledImagePair
{
    public string LeftImagePath { get; set; } = string.Empty;
    public string RightImagePath { get; set; } = string.Empty;
    public bool Label { get; set; }
    public string LeftLabel { get; set; } = string.Empty;
    public string RightLabel { get; set; } = string.Empty;
}
