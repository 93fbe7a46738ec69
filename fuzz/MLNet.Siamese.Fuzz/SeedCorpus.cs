using System.IO.Compression;
using Microsoft.ML;
using MLNet.Siamese.Checkpoints;
using MLNet.Siamese.Index;
using SkiaSharp;

namespace MLNet.Siamese.Fuzz;

/// <summary>Writes the seed corpus (fuzz/corpus/TARGET/*): small valid files of each format, made with the libraries themselves.</summary>
public static class SeedCorpus
{
    /// <summary>Writes every target's seeds under <paramref name="root"/>.</summary>
    /// <param name="root">The corpus folder (fuzz/corpus).</param>
    public static void Write(string root)
    {
        byte[] png = Png(6, 6);
        Save(root, "image", "gray6x6.png", png);
        Save(root, "image", "rgba3x2.png", Png(3, 2));

        Save(root, "idx", "images.idx3", Idx(0x803, [2, 2, 2], [0, 64, 128, 255, 1, 2, 3, 4]));
        Save(root, "idx", "labels.idx1", Idx(0x801, [3], [0, 1, 2]));
        Save(root, "idx", "images.idx3.gz", Gzip(Idx(0x803, [1, 2, 3], [9, 8, 7, 6, 5, 4])));

        using (var memory = new MemoryStream())
        {
            using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (string name in new[] { "set/a/1.png", "set/b/2.png" })
                {
                    using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                    entry.Write(png);
                }
            }
            Save(root, "zip", "two-classes.zip", memory.ToArray());
        }

        Save(root, "runs", "class_labels.txt", "run01/test/item01.png run01/training/class01.png\n"u8.ToArray());

        string temp = Path.Combine(Path.GetTempPath(), "siamese-seeds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            var checkpoint = new TrainingCheckpoint
            {
                Header = new CheckpointHeader { Iteration = 2, TotalIterations = 4, RandomState = [1, 2, 3, 4], LossHistory = [0.5f, 0.25f], Loss = "Contrastive", Seed = 1, RunFingerprint = new() { ["learning rate"] = "0.001" } },
                NetworkState = [1, 2, 3],
                HeadState = [],
                OptimizerState = [4, 5],
                AveragedNetworkState = [],
            };
            string checkpointPath = Path.Combine(temp, "c.mlnsckpt");
            checkpoint.Save(checkpointPath);
            Save(root, "checkpoint", "small.mlnsckpt", File.ReadAllBytes(checkpointPath));

            var index = new SimilarityIndex(3);
            index.Add("a.png", "cat", [1f, 0f, 0f]);
            index.Add("b.png", "dog", [0f, 1f, 0.5f]);
            string indexPath = Path.Combine(temp, "i.index");
            index.Save(indexPath);
            Save(root, "index", "two-items.index", File.ReadAllBytes(indexPath));

            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable(new[] { new Row { X = 1f } });
            var model = ml.Transforms.CopyColumns("Y", "X").Fit(data);
            using var stream = new MemoryStream();
            ml.Model.Save(model, data.Schema, stream);
            Save(root, "model", "copy-columns.zip", stream.ToArray());
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static void Save(string root, string target, string name, byte[] bytes)
    {
        string folder = Path.Combine(root, target);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name), bytes);
    }

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.White);
        bitmap.SetPixel(1, 1, SKColors.Black);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] Idx(int magic, int[] dimensions, byte[] data)
    {
        var bytes = new List<byte>();
        foreach (int v in dimensions.Prepend(magic))
            bytes.AddRange(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v)));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(data);
        return memory.ToArray();
    }

    private sealed class Row
    {
        public float X { get; set; }
    }
}
