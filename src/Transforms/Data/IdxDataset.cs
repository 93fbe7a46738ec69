using System.Globalization;
using System.IO.Compression;

namespace MLNet.Siamese.Data;

/// <summary>
/// An IDX image file read together with its label file (MNIST, Fashion-MNIST): the one IDX loader behind
/// <see cref="IdxReader.Load"/>, the <c>siamese</c> tool's <c>--data</c> and the benchmarks. Every hostile-input guard
/// is <see cref="IdxReader"/>'s; this type adds the pairing of the two files.
/// </summary>
public sealed class IdxDataset
{
    private IdxDataset(IdxImages images, byte[] labels, string labelsPath)
    {
        Images = images;
        Labels = labels;
        LabelsPath = labelsPath;
    }

    /// <summary>The images.</summary>
    public IdxImages Images { get; }

    /// <summary>One label byte per image.</summary>
    public byte[] Labels { get; }

    /// <summary>The full path of the label file.</summary>
    public string LabelsPath { get; }

    /// <summary>The number of images (and labels).</summary>
    public int Count => Images.Count;

    /// <summary>
    /// Reads an image file and its label file (by default the one beside it, <see cref="LabelsPathFor"/>) and checks that
    /// they hold as many items.
    /// </summary>
    /// <param name="imagesPath">The IDX image file (raw or gzip).</param>
    /// <param name="labelsPath">The IDX label file; null for the one beside the images.</param>
    /// <returns>The images with their labels.</returns>
    /// <exception cref="FileNotFoundException">A file is missing; the message names the expected path.</exception>
    /// <exception cref="InvalidDataException">A file is invalid, or the two counts differ; the message names the files.</exception>
    public static IdxDataset Read(string imagesPath, string? labelsPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        string images = Path.GetFullPath(imagesPath);
        string labels = Path.GetFullPath(labelsPath ?? LabelsPathFor(images));
        if (labelsPath is null && (string.Equals(labels, images, StringComparison.Ordinal) || !File.Exists(labels)))
            throw new FileNotFoundException($"IDX images file '{images}' has no labels file beside it (expected '{labels}').", labels);
        IdxImages read = IdxReader.ReadImages(images);
        byte[] labelBytes = IdxReader.ReadLabels(labels);
        if (labelBytes.Length != read.Count)
            throw new InvalidDataException($"IDX image file '{read.Path}' holds {read.Count} images but label file '{labels}' holds {labelBytes.Length} labels.");
        return new IdxDataset(read, labelBytes, labels);
    }

    /// <summary>The label file of an IDX image file by the MNIST naming: images→labels and idx3→idx1 in the file name.</summary>
    /// <param name="imagesPath">The image file.</param>
    /// <returns>The path of the label file beside it (it may not exist).</returns>
    public static string LabelsPathFor(string imagesPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        string name = Path.GetFileName(imagesPath)
            .Replace("images", "labels", StringComparison.Ordinal)
            .Replace("Images", "Labels", StringComparison.Ordinal)
            .Replace("idx3", "idx1", StringComparison.Ordinal);
        return Path.Combine(Path.GetDirectoryName(imagesPath) ?? ".", name);
    }

    /// <summary>
    /// Whether a file is an IDX image file: named like one (<c>idx3-ubyte</c>) or starting with the image magic
    /// 0x00000803, raw or gzip-compressed. Never throws for an unreadable or corrupt gzip file (false).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>True for an IDX image file.</returns>
    public static bool IsImagesFile(string path)
    {
        if (!File.Exists(path))
            return false;
        string name = Path.GetFileName(path);
        if (name.Contains("idx3-ubyte", StringComparison.OrdinalIgnoreCase) || name.Contains("idx3.ubyte", StringComparison.OrdinalIgnoreCase))
            return true;
        if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            return false;
        Span<byte> head = stackalloc byte[4];
        using (var stream = File.OpenRead(path))
        {
            if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4)
                return false;
        }

        if (head[0] == 0x1f && head[1] == 0x8b)
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            try
            {
                if (gz.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4)
                    return false;
            }
            catch (InvalidDataException)
            {
                return false;
            }
        }

        return head[0] == 0 && head[1] == 0 && head[2] == 0x08 && head[3] == 0x03;
    }

    /// <summary>All pixels scaled to 0..1 (byte / 255), image after image, each row-major: the features of every image.</summary>
    /// <returns><see cref="Count"/> x <see cref="IdxImages.PixelsPerImage"/> values.</returns>
    public float[] ScaledPixels()
    {
        var features = new float[Images.Pixels.Length];
        Scale(Images.Pixels, features);
        return features;
    }

    /// <summary>The pixels of image <paramref name="index"/> scaled to 0..1 (byte / 255), row-major.</summary>
    /// <param name="index">Image index, 0-based.</param>
    /// <returns><see cref="IdxImages.PixelsPerImage"/> values.</returns>
    public float[] ScaledImage(int index)
    {
        var features = new float[Images.PixelsPerImage];
        Scale(Images.GetImage(index), features);
        return features;
    }

    private static void Scale(ReadOnlySpan<byte> pixels, Span<float> features)
    {
        for (int i = 0; i < pixels.Length; i++)
            features[i] = pixels[i] / 255f;
    }

    /// <summary>The label of every image as text ("0".."255", invariant culture), the class identity the library uses.</summary>
    /// <returns>One string per image.</returns>
    public string[] LabelTexts()
    {
        string[] text = [.. Enumerable.Range(0, 256).Select(i => i.ToString(CultureInfo.InvariantCulture))];
        return [.. Labels.Select(l => text[l])];
    }
}
