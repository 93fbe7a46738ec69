using SkiaSharp;

namespace MLNet.Siamese.Data;

/// <summary>
/// Reads Netpbm images (.pbm, .pgm, .ppm, .pnm: P1 to P6, plain and raw; the AT&amp;T faces are raw .pgm), which ML.NET's
/// image loader does not decode, and writes them as PNG, which it does. Samples of more than 8 bits (maximum value above
/// 255) are scaled to 8 bits, as are smaller maxima (a maximum of 15 maps 15 to 255); a bitmap's 1 is black. Malformed files
/// are refused with their name.
/// </summary>
internal static class NetpbmImage
{
    /// <summary>The extensions read, with their dot.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>([".pbm", ".pgm", ".ppm", ".pnm"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Decodes a Netpbm file to 8-bit gray (1 channel) or RGB (3 channels), row-major.</summary>
    /// <exception cref="InvalidDataException">The file is not a complete Netpbm image, or is over the size limits; the message names it.</exception>
    public static (int Width, int Height, int Channels, byte[] Pixels) Decode(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > ImageFileCheck.MaxImageFileBytes)
            throw new InvalidDataException($"Image file '{path}' is {length} bytes, more than the limit of {ImageFileCheck.MaxImageFileBytes} bytes; it is refused without decoding.");
        byte[] data = File.ReadAllBytes(path);
        int at = 0;
        if (data.Length < 2 || data[0] != (byte)'P' || data[1] < (byte)'1' || data[1] > (byte)'6')
            throw new InvalidDataException($"Image file '{path}' is not a Netpbm image (it does not start with P1 to P6).");
        int kind = data[1] - '0';
        at = 2;
        int width = ReadNumber(data, ref at, path, "width");
        int height = ReadNumber(data, ref at, path, "height");
        int max = kind is 1 or 4 ? 1 : ReadNumber(data, ref at, path, "maximum value");
        if (width < 1 || height < 1 || (long)width * height > ImagePreprocessing.MaxImagePixels)
            throw new InvalidDataException($"Image file '{path}' claims {width}x{height} pixels: it must have at least one and at most {ImagePreprocessing.MaxImagePixels}.");
        if (max < 1 || max > 65535)
            throw new InvalidDataException($"Image file '{path}' has the maximum value {max}; Netpbm allows 1 to 65535.");
        int channels = kind is 3 or 6 ? 3 : 1;
        long samples = (long)width * height * channels;
        var pixels = new byte[samples];
        if (kind <= 3)
        {
            for (long i = 0; i < samples; i++)
            {
                int value = kind == 1 ? ReadBit(data, ref at, path) : ReadNumber(data, ref at, path, "pixel value");
                if (value > max)
                    throw new InvalidDataException($"Image file '{path}' has a pixel value {value} above its maximum {max}.");
                pixels[i] = Scale(kind == 1 ? 1 - value : value, max);
            }
            return (width, height, channels, pixels);
        }
        at++;   // the one whitespace byte after the header
        if (kind == 4)
        {
            int rowBytes = (width + 7) / 8;
            RequireBytes(data, at, (long)rowBytes * height, path);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    pixels[(long)y * width + x] = (data[at + y * rowBytes + x / 8] >> (7 - x % 8) & 1) == 1 ? (byte)0 : (byte)255;
            return (width, height, channels, pixels);
        }
        int bytesPerSample = max > 255 ? 2 : 1;
        RequireBytes(data, at, samples * bytesPerSample, path);
        for (long i = 0; i < samples; i++)
        {
            int value = bytesPerSample == 1 ? data[at + i] : data[at + 2 * i] << 8 | data[at + 2 * i + 1];
            pixels[i] = Scale(Math.Min(value, max), max);
        }
        return (width, height, channels, pixels);
    }

    /// <summary>Decodes <paramref name="path"/> and writes it as a PNG file at <paramref name="pngPath"/> (gray stays gray).</summary>
    public static void WritePng(string path, string pngPath)
    {
        var (width, height, channels, pixels) = Decode(path);
        var info = new SKImageInfo(width, height, channels == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        byte[] rows = pixels;
        if (channels == 3)
        {
            rows = new byte[(long)width * height * 4];
            for (long i = 0, n = (long)width * height; i < n; i++)
            {
                rows[4 * i] = pixels[3 * i];
                rows[4 * i + 1] = pixels[3 * i + 1];
                rows[4 * i + 2] = pixels[3 * i + 2];
                rows[4 * i + 3] = 255;
            }
        }
        using var image = SKImage.FromPixelCopy(info, rows, info.RowBytes)
            ?? throw new InvalidDataException($"Image file '{path}' ({width}x{height}) could not be converted to PNG.");
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(pngPath);
        png.SaveTo(file);
    }

    private static byte Scale(int value, int max) => max == 255 ? (byte)value : (byte)((value * 255L + max / 2) / max);

    private static void RequireBytes(byte[] data, int at, long count, string path)
    {
        if (at + count > data.Length)
            throw new InvalidDataException($"Image file '{path}' is truncated: its pixels need {count} bytes after the header, and {Math.Max(0, data.Length - at)} are there.");
    }

    private static void SkipSpaceAndComments(byte[] data, ref int at)
    {
        while (at < data.Length)
        {
            if (data[at] == (byte)'#')
                while (at < data.Length && data[at] != (byte)'\n' && data[at] != (byte)'\r') at++;
            else if (data[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f')
                at++;
            else
                return;
        }
    }

    private static int ReadNumber(byte[] data, ref int at, string path, string what)
    {
        SkipSpaceAndComments(data, ref at);
        long value = 0;
        int start = at;
        while (at < data.Length && data[at] >= (byte)'0' && data[at] <= (byte)'9' && value <= int.MaxValue)
            value = value * 10 + (data[at++] - '0');
        if (at == start || value > int.MaxValue)
            throw new InvalidDataException($"Image file '{path}' is truncated or malformed: no {what} where one was expected (byte {start}).");
        return (int)value;
    }

    private static int ReadBit(byte[] data, ref int at, string path)
    {
        SkipSpaceAndComments(data, ref at);
        if (at >= data.Length || (data[at] != (byte)'0' && data[at] != (byte)'1'))
            throw new InvalidDataException($"Image file '{path}' is truncated or malformed: no 0 or 1 where a pixel was expected (byte {at}).");
        return data[at++] - '0';
    }
}
