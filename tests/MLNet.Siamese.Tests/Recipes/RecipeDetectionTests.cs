using Microsoft.ML;
using MLNet.Siamese.Data;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Examples.Shared;
using MLNet.Siamese.Tests.Photos;

namespace MLNet.Siamese.Tests.Recipes;

/// <summary>
/// <c>siamese train</c>'s recipe guess from pixels: drawings on paper get <c>handwriting</c>, colour or large pictures
/// <c>photos</c>, small grayscale images <c>general</c>; a photo on a white background is not a drawing.
/// </summary>
[TestClass]
public sealed class RecipeDetectionTests
{
    private static List<string> CaltechClass(string name)
        => ImageFolder.Scan(Path.GetDirectoryName(Path.GetDirectoryName(PhotoBackboneTests.SmallPhotoSet()[0].ImagePath)!)!).Where(e => e.Label == name).Select(e => e.ImagePath).ToList();

    [TestMethod]
    public void OmniglotDrawings_AreHandwriting()
    {
        var drawings = ImageFolder.Scan(EmbeddedOmniglot.FindSmall1(), new ImageFolderOptions { LabelDepth = 2 }).Take(200).Select(e => e.ImagePath).ToList();
        var choice = RecipeDetection.ForImages(new MLContext(seed: 1), drawings);
        Assert.AreEqual("handwriting", choice.Recipe.Name, choice.Reason);
        StringAssert.Contains(choice.Reason, "0 % of the others mid-tones");
    }

    [TestMethod]
    public void MotorbikesOnAWhiteBackground_ArePhotos_NotDrawings()
    {
        // 69 % of their pixels are light, as drawings' are; their shades (48 % mid-tones) say photo.
        var choice = RecipeDetection.ForImages(new MLContext(seed: 1), CaltechClass("Motorbikes"));
        Assert.AreEqual("photos", choice.Recipe.Name, choice.Reason);
        StringAssert.Contains(choice.Reason, "69 % of the pixels light background, 48 % of the others mid-tones");
        Assert.AreEqual("photos", RecipeDetection.ForImages(new MLContext(seed: 1), CaltechClass("Leopards")).Recipe.Name);
    }

    [TestMethod]
    public void SmallGrayscaleSquares_AreGeneral_OrHandwritingOnPaper()
    {
        using var folder = new TempFolder();
        var dark = Enumerable.Range(0, 4).Select(i => TestFiles.WritePng(folder.Combine($"d{i}.png"), 16, 16, square: 12, x: 2, y: 2)).ToList();
        var paper = Enumerable.Range(0, 4).Select(i => TestFiles.WritePng(folder.Combine($"p{i}.png"), 16, 16, square: 3, x: i, y: i)).ToList();
        Assert.AreEqual("general", RecipeDetection.ForImages(new MLContext(seed: 1), dark).Recipe.Name, "mostly dark, small, grayscale");
        Assert.AreEqual("handwriting", RecipeDetection.ForImages(new MLContext(seed: 1), paper).Recipe.Name, "a dark mark on white paper");
    }
}
