namespace MLNet.Siamese.Data;

/// <summary>The images of an IDX image file (magic 0x00000803), as read by <see cref="IdxReader.ReadImages"/>.</summary>
public sealed class IdxImages
{
    internal IdxImages(string path, int count, int rows, int columns, byte[] pixels)
    {
        Path = path;
        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>The file the images were read from.</summary>
    public string Path { get; }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Rows (height) of each image.</summary>
    public int Rows { get; }

    /// <summary>Columns (width) of each image.</summary>
    public int Columns { get; }

    /// <summary>Pixels per image: <see cref="Rows"/> * <see cref="Columns"/>.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>All pixels, image after image, each image row-major, one byte (0..255) per pixel.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    /// <param name="index">Image index, 0-based.</param>
    /// <returns>A view of <see cref="PixelsPerImage"/> bytes.</returns>
    public ReadOnlySpan<byte> GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }
}
