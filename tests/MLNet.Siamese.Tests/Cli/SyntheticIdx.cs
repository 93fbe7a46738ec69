using MLNet.Siamese.Tests.Data;

namespace MLNet.Siamese.Tests.Cli;

/// <summary>
/// Small deterministic IDX training data for CLI runs that must be quick: a few classes of 28x28 glyphs (three strokes
/// per class, shifted and noised per item), written as gzip IDX files with MNIST naming.
/// </summary>
internal static class SyntheticIdx
{
    public const int Side = 28;

    /// <summary>Writes train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz into <paramref name="folder"/>.</summary>
    /// <returns>The images file path (what <c>--data</c> takes).</returns>
    public static string Write(string folder, int classes = 6, int perClass = 5, int seed = 11)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var pixels = new byte[classes * perClass * Side * Side];
        var labels = new byte[classes * perClass];
        for (int c = 0; c < classes; c++)
        {
            var strokes = Enumerable.Range(0, 3).Select(_ => (random.Next(4, 24), random.Next(4, 24), random.Next(4, 24), random.Next(4, 24))).ToArray();
            for (int k = 0; k < perClass; k++)
            {
                int item = c * perClass + k;
                labels[item] = (byte)c;
                var image = pixels.AsSpan(item * Side * Side, Side * Side);
                int dx = random.Next(-2, 3), dy = random.Next(-2, 3);
                foreach (var (x0, y0, x1, y1) in strokes)
                {
                    int steps = Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)) + 1;
                    for (int s = 0; s <= steps; s++)
                    {
                        int x = x0 + dx + (x1 - x0) * s / steps, y = y0 + dy + (y1 - y0) * s / steps;
                        if (x is >= 0 and < Side && y is >= 0 and < Side) image[y * Side + x] = 255;
                    }
                }
                for (int i = 0; i < image.Length; i++)
                    image[i] = (byte)Math.Min(255, image[i] + random.Next(0, 26));
            }
        }
        string images = Path.Combine(folder, "train-images-idx3-ubyte.gz");
        File.WriteAllBytes(images, TestFiles.Gzip(TestFiles.Idx(0x00000803, [labels.Length, Side, Side], pixels)));
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), TestFiles.Gzip(TestFiles.Idx(0x00000801, [labels.Length], labels)));
        return images;
    }
}
