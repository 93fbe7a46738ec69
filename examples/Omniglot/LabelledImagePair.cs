using MLNet.Siamese.Data;

namespace MLNet.Siamese.Examples.Omniglot;

/// <summary>A labelled pair of image files for evaluation.</summary>
internal sealed class LabelledImagePair
{
    public string LeftImagePath { get; set; } = string.Empty;
    public string RightImagePath { get; set; } = string.Empty;
    public bool Label { get; set; }
    public string LeftLabel { get; set; } = string.Empty;
    public string RightLabel { get; set; } = string.Empty;
}

/// <summary>Balanced random pairs (half same character, half different characters), as the seed evaluates.</summary>
internal static class HeldOutPairs
{
    public static List<LabelledImagePair> Draw(IReadOnlyList<ImageFolderEntry> items, int count, int seed)
    {
        var random = new Random(seed);
        var byLabel = items.GroupBy(e => e.Label).Select(g => g.ToArray()).ToArray();
        var pairs = new List<LabelledImagePair>(count);
        for (int i = 0; i < count; i++)
        {
            bool same = i % 2 == 0;
            var a = byLabel[random.Next(byLabel.Length)];
            var left = a[random.Next(a.Length)];
            ImageFolderEntry right;
            if (same)
            {
                do right = a[random.Next(a.Length)]; while (right.ImagePath == left.ImagePath);
            }
            else
            {
                ImageFolderEntry[] b;
                do b = byLabel[random.Next(byLabel.Length)]; while (b == a);
                right = b[random.Next(b.Length)];
            }
            pairs.Add(new LabelledImagePair { LeftImagePath = left.ImagePath, RightImagePath = right.ImagePath, Label = same, LeftLabel = left.Label, RightLabel = right.Label });
        }
        return pairs.OrderBy(_ => random.Next()).ToList();
    }
}
