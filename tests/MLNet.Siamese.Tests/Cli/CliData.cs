using MLNet.Siamese.Data;
using MLNet.Siamese.Tests.Data;
using Microsoft.ML;
using MLNet.Siamese.Examples.Shared;

namespace MLNet.Siamese.Tests.Cli;

/// <summary>Small on-disk data for the CLI tests, cut from the embedded Omniglot small1 archive.</summary>
internal static class CliData
{
    public const int Classes = 6;
    public const int PerClass = 20;

    /// <summary>Copies <see cref="Classes"/> characters x <see cref="PerClass"/> images of one alphabet to root/alphabet/character/*.png.</summary>
    /// <returns>The alphabet and, per character, the copied paths.</returns>
    public static (string Alphabet, List<string[]> Characters) WriteImageFolder(string root)
    {
        var entries = ImageFolder.Scan(EmbeddedOmniglot.FindSmall1(), new ImageFolderOptions { LabelDepth = 2 });
        var alphabet = entries.GroupBy(e => e.Group).First(g => g.Select(e => e.Label).Distinct().Count() >= Classes);
        var characters = new List<string[]>();
        foreach (var character in alphabet.GroupBy(e => e.Label).Take(Classes))
        {
            var copied = new List<string>();
            foreach (var entry in character.Take(PerClass))
            {
                string target = Path.Combine(root, entry.Label.Replace('/', Path.DirectorySeparatorChar), Path.GetFileName(entry.ImagePath));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(entry.ImagePath, target, overwrite: true);
                copied.Add(target);
            }
            characters.Add(copied.ToArray());
        }
        return (alphabet.Key, characters);
    }

    /// <summary>
    /// The <c>siamese train</c> arguments of the small image model that several CLI test classes train once on
    /// <see cref="WriteImageFolder"/>'s folder: 20 iterations of batch 16, a 16-value embedding, 28 px, seed 3, JSON.
    /// </summary>
    public static string[] SmallModelTraining(string data, string model) =>
        ["train", "--data", data, "--label-depth", "2", "--iterations", "20", "--batch", "16", "--embedding-dim", "16",
         "--image-size", "28", "--seed", "3", "--json", "--out", model];

    /// <summary>
    /// Writes one-shot runs in exactly the format of Lake et al.: root/runNN/training/classKK.png (one image per
    /// class), root/runNN/test/itemKK.png, and root/runNN/class_labels.txt of "runNN/test/itemKK.png runNN/training/classJJ.png" lines.
    /// </summary>
    public static void WriteRuns(string root, List<string[]> characters, int runs, int ways)
    {
        var random = new Random(5);
        for (int r = 1; r <= runs; r++)
        {
            string run = $"run{r:D2}";
            Directory.CreateDirectory(Path.Combine(root, run, "training"));
            Directory.CreateDirectory(Path.Combine(root, run, "test"));
            var classes = Enumerable.Range(0, characters.Count).OrderBy(_ => random.Next()).Take(ways).ToArray();
            var order = Enumerable.Range(0, ways).OrderBy(_ => random.Next()).ToArray();
            var lines = new List<string>();
            for (int k = 0; k < ways; k++)
            {
                string[] images = characters[classes[k]];
                File.Copy(images[2 * r], Path.Combine(root, run, "training", $"class{k + 1:D2}.png"));
            }
            for (int t = 0; t < ways; t++)
            {
                int k = order[t];
                File.Copy(characters[classes[k]][2 * r + 1], Path.Combine(root, run, "test", $"item{t + 1:D2}.png"));
                lines.Add($"{run}/test/item{t + 1:D2}.png {run}/training/class{k + 1:D2}.png");
            }
            File.WriteAllLines(Path.Combine(root, run, "class_labels.txt"), lines);
        }
    }

    /// <summary>Writes gzip IDX files (images and labels, MNIST naming) of the given images, 28x28, ink bright.</summary>
    /// <returns>The images file path.</returns>
    public static string WriteIdx(string folder, List<string[]> characters, int perClass)
    {
        var ml = new MLContext(seed: 1);
        var paths = new List<string>();
        var labels = new List<byte>();
        for (int c = 0; c < characters.Count; c++)
        {
            foreach (string p in characters[c].Take(perClass))
            {
                paths.Add(p);
                labels.Add((byte)c);
            }
        }
        float[] pixels = ImagePreprocessing.DecodeToArray(ml, paths, new ImagePreprocessingOptions { Width = 28, Height = 28, Invert = true });
        byte[] bytes = pixels.Select(v => (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255)).ToArray();
        string images = Path.Combine(folder, "train-images-idx3-ubyte.gz");
        File.WriteAllBytes(images, TestFiles.Gzip(TestFiles.Idx(0x00000803, [paths.Count, 28, 28], bytes)));
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), TestFiles.Gzip(TestFiles.Idx(0x00000801, [labels.Count], labels.ToArray())));
        return images;
    }
}
