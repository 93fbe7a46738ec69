using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Siamese.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: unsigned-byte images (magic 0x00000803) and labels
/// (magic 0x00000801), raw or gzip-compressed (recognised by the magic bytes 1f 8b, whatever the file name).
/// </summary>
/// <remarks>
/// Headers are never trusted for allocation: the counts are capped at <see cref="MaxItems"/> and
/// <see cref="MaxPixelsPerImage"/> before they are multiplied (so they cannot overflow), the claimed size is capped at <see cref="Array.MaxLength"/> bytes
/// and, for gzip files, at <see cref="MaxCompressionRatio"/> times the compressed size,
/// checked against the file length for raw files, and read with a bounded loop that fails on early end of data
/// for gzip files. A wrong magic number, a truncated file, trailing data or mismatched counts raise an
/// <see cref="InvalidDataException"/> naming the file(s).
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned-byte images (3 dimensions).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned-byte labels (1 dimension).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Most images (or labels) one file may claim: 10 million (MNIST has 70,000; EMNIST about 800,000).</summary>
    public const int MaxItems = 10_000_000;

    /// <summary>Most pixels (rows x columns) one image may claim: 64 Mi, as for image files.</summary>
    public const long MaxPixelsPerImage = ImagePreprocessing.MaxImagePixels;

    /// <summary>
    /// Highest ratio of the payload a gzip file's header claims to the compressed file's size: 200 (MNIST's are about
    /// 5). A small file claiming a huge payload is refused from its header, before anything is allocated or decompressed.
    /// </summary>
    public const double MaxCompressionRatio = 200;

    /// <summary>Name of the output feature column (pixels scaled to 0..1).</summary>
    public const string FeaturesColumnName = "Features";

    /// <summary>Name of the output label column (the label byte as text, e.g. "7").</summary>
    public const string LabelColumnName = "Label";

    /// <summary>Reads an IDX image file.</summary>
    /// <param name="path">Raw or gzip-compressed IDX file with magic 0x00000803.</param>
    /// <returns>The images.</returns>
    /// <exception cref="InvalidDataException">Wrong magic, bad dimensions, truncated file or trailing data.</exception>
    public static IdxImages ReadImages(string path)
    {
        using var reader = IdxStream.Open(path);
        int magic = reader.ReadInt32("magic number");
        if (magic != ImagesMagic)
            throw reader.Error($"magic number 0x{magic:X8} is not that of an IDX image file (0x{ImagesMagic:X8}).");
        int count = reader.ReadDimension("image count", allowZero: true);
        int rows = reader.ReadDimension("row count", allowZero: false);
        int columns = reader.ReadDimension("column count", allowZero: false);
        if (count > MaxItems)
            throw reader.Error($"header claims {count} images, more than the limit of {MaxItems}.");
        long pixelsPerImage = (long)rows * columns; // at most (2^31)^2 = 2^62: no overflow
        if (pixelsPerImage > MaxPixelsPerImage)
            throw reader.Error($"header claims images of {rows}x{columns} pixels, more than the limit of {MaxPixelsPerImage} pixels per image.");
        long total = count * pixelsPerImage; // at most 10^8 * 2^26 < 2^63: no overflow
        if (total > Array.MaxLength)
            throw reader.Error($"header claims {count} images of {rows}x{columns} pixels ({total} bytes), more than the supported {Array.MaxLength} bytes.");
        reader.CheckCompressionRatio(total, $"{count} images of {rows}x{columns} pixels");
        byte[] pixels = reader.ReadPayload(total, $"{count} images of {rows}x{columns} pixels");
        return new IdxImages(reader.Path, count, rows, columns, pixels);
    }

    /// <summary>Reads an IDX label file.</summary>
    /// <param name="path">Raw or gzip-compressed IDX file with magic 0x00000801.</param>
    /// <returns>One byte per label.</returns>
    /// <exception cref="InvalidDataException">Wrong magic, truncated file or trailing data.</exception>
    public static byte[] ReadLabels(string path)
    {
        using var reader = IdxStream.Open(path);
        int magic = reader.ReadInt32("magic number");
        if (magic != LabelsMagic)
            throw reader.Error($"magic number 0x{magic:X8} is not that of an IDX label file (0x{LabelsMagic:X8}).");
        int count = reader.ReadDimension("label count", allowZero: true);
        if (count > MaxItems)
            throw reader.Error($"header claims {count} labels, more than the limit of {MaxItems}.");
        reader.CheckCompressionRatio(count, $"{count} labels");
        return reader.ReadPayload(count, $"{count} labels");
    }

    /// <summary>
    /// Reads an image file and its label file as an <see cref="IDataView"/> with a <c>Features</c> column (float
    /// vector of rows*columns, known size, pixels scaled to 0..1 as byte/255) and a text <c>Label</c> column.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="imagesPath">The IDX image file.</param>
    /// <param name="labelsPath">The IDX label file.</param>
    /// <returns>The data view, one row per image, in file order.</returns>
    /// <exception cref="InvalidDataException">A file is invalid, or the two counts differ.</exception>
    public static IDataView Load(MLContext mlContext, string imagesPath, string labelsPath)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelsPath);
        var set = IdxDataset.Read(imagesPath, labelsPath);
        int size = set.Images.PixelsPerImage;
        var schema = SchemaDefinition.Create(typeof(IdxRow));
        schema[nameof(IdxRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return mlContext.Data.LoadFromEnumerable(Rows(set), schema);
    }

    private static IEnumerable<IdxRow> Rows(IdxDataset set)
    {
        string[] labels = set.LabelTexts();
        for (int i = 0; i < set.Count; i++)
            yield return new IdxRow { Features = set.ScaledImage(i), Label = labels[i] };
    }

    private sealed class IdxRow
    {
        [ColumnName(FeaturesColumnName)]
        public float[] Features { get; set; } = [];

        [ColumnName(LabelColumnName)]
        public string Label { get; set; } = "";
    }

    private sealed class IdxStream : IDisposable
    {
        private readonly Stream _stream;
        private readonly long? _rawLength;
        private readonly long _compressedLength;
        private long _position;

        private IdxStream(string path, Stream stream, long? rawLength, long compressedLength)
        {
            _compressedLength = compressedLength;
            Path = path;
            _stream = stream;
            _rawLength = rawLength;
        }

        public string Path { get; }

        public static IdxStream Open(string path)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(path);
            string full = System.IO.Path.GetFullPath(path);
            if (!File.Exists(full))
                throw new FileNotFoundException($"IDX file '{full}' does not exist.", full);
            var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            try
            {
                Span<byte> head = stackalloc byte[2];
                int n = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
                file.Position = 0;
                if (n == 2 && head[0] == 0x1f && head[1] == 0x8b)
                    return new IdxStream(full, new GZipStream(file, CompressionMode.Decompress), rawLength: null, file.Length);
                return new IdxStream(full, file, file.Length, file.Length);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        public void CheckCompressionRatio(long payload, string description)
        {
            if (_rawLength is null && payload > 1 << 20 && payload > MaxCompressionRatio * _compressedLength)
                throw Error($"header claims {description} ({payload} bytes) from {_compressedLength} compressed bytes, a ratio above the limit of {MaxCompressionRatio} (compression bomb or lying header).");
        }

        public InvalidDataException Error(string what, Exception? inner = null) =>
            new($"IDX file '{Path}' is invalid: {what}", inner);

        public int ReadInt32(string what)
        {
            Span<byte> buffer = stackalloc byte[4];
            int n = Fill(buffer);
            if (n < 4)
                throw Error($"the file ends inside the header (reading the {what}).");
            return BinaryPrimitives.ReadInt32BigEndian(buffer);
        }

        public int ReadDimension(string what, bool allowZero)
        {
            int value = ReadInt32(what);
            if (value < 0 || (!allowZero && value == 0))
                throw Error($"{what} {(uint)value} in the header is out of range.");
            return value;
        }

        public byte[] ReadPayload(long length, string description)
        {
            if (_rawLength is long fileLength)
            {
                long available = fileLength - _position;
                if (available < length)
                    throw Error($"header claims {description} ({length} bytes) but only {available} bytes follow the header (truncated file or lying header).");
                if (available > length)
                    throw Error($"header claims {description} ({length} bytes) but {available} bytes follow the header ({available - length} unexpected trailing bytes).");
                var data = new byte[length];
                if (Fill(data) != length)
                    throw Error($"the file ended early while reading {description}.");
                return data;
            }

            // Compressed: the decompressed size is unknown, so grow the buffer with the data actually read.
            byte[] buffer = new byte[(int)Math.Min(length, 1 << 24)];
            long filled = 0;
            while (filled < length)
            {
                if (filled == buffer.Length)
                    Array.Resize(ref buffer, (int)Math.Min(length, Math.Max(2L * buffer.Length, 1)));
                int n = Fill(buffer.AsSpan((int)filled, buffer.Length - (int)filled));
                if (n == 0)
                    throw Error($"header claims {description} ({length} bytes) but the compressed data ends after {filled} bytes (truncated file or lying header).");
                filled += n;
            }
            Span<byte> probe = stackalloc byte[1];
            if (Fill(probe) != 0)
                throw Error($"header claims {description} ({length} bytes) but more data follows (unexpected trailing bytes).");
            return buffer;
        }

        private int Fill(Span<byte> buffer)
        {
            try
            {
                int n = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                _position += n;
                return n;
            }
            catch (InvalidDataException e)
            {
                throw Error($"the compressed data is corrupt: {e.Message}", e);
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
