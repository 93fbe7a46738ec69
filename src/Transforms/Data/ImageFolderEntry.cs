namespace MLNet.Siamese.Data;

/// <summary>One image found by <see cref="ImageFolder.Scan(string, ImageFolderOptions?)"/>.</summary>
/// <param name="ImagePath">Absolute path of the image file on disk.</param>
/// <param name="Label">The label: the nearest <see cref="ImageFolderOptions.LabelDepth"/> folder names above the file, joined with <c>/</c>.</param>
/// <param name="Group">The first part of <paramref name="Label"/> (e.g. the alphabet); equals the label when the depth is 1.</param>
public sealed record ImageFolderEntry(string ImagePath, string Label, string Group)
{
    /// <summary>The file as found: <see cref="ImagePath"/>, or for a converted Netpbm image the original (<see cref="ImageFolderOptions.ConvertNetpbm"/>).</summary>
    public string SourcePath { get; init; } = ImagePath;
}
