using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.Tests.Data;

/// <summary>
/// Netpbm images (the AT&amp;T faces are raw .pgm) decoded by hand-counted pixels in every variant, converted to PNG
/// files ML.NET's own image loader reads back with the same pixels, cached by content, and refused by name when broken.
/// </summary>
[TestClass]
public sealed class NetpbmImageTests
{
    private static string Write(TempFolder folder, string name, params byte[][] parts)
    {
        string path = folder.Combine(name);
        File.WriteAllBytes(path, parts.SelectMany(p => p).ToArray());
        return path;
    }

    private static byte[] Text(string s) => Encoding.ASCII.GetBytes(s);

    [TestMethod]
    public void EveryVariantDecodesToItsPixels()
    {
        using var folder = new TempFolder();
        // Plain gray with comments, maximum 15: 0, 15, 5 scale to 0, 255, 85.
        var plainGray = NetpbmImage.Decode(Write(folder, "a.pgm", Text("P2\n# a comment\n3 1 # width height\n15\n0 15\n5\n")));
        Assert.AreEqual((3, 1, 1), (plainGray.Width, plainGray.Height, plainGray.Channels));
        CollectionAssert.AreEqual(new byte[] { 0, 255, 85 }, plainGray.Pixels);
        // Raw gray, 8 bits (the AT&T faces).
        var rawGray = NetpbmImage.Decode(Write(folder, "b.pgm", Text("P5 2 2 255\n"), [0, 64, 128, 255]));
        CollectionAssert.AreEqual(new byte[] { 0, 64, 128, 255 }, rawGray.Pixels);
        // Raw gray, 16 bits big-endian: 65535 -> 255, 32768 -> 128, 257 -> 1.
        var deep = NetpbmImage.Decode(Write(folder, "c.pgm", Text("P5 3 1 65535\n"), [0xFF, 0xFF, 0x80, 0x00, 0x01, 0x01]));
        CollectionAssert.AreEqual(new byte[] { 255, 128, 1 }, deep.Pixels);
        // Colour, plain and raw.
        var plainColour = NetpbmImage.Decode(Write(folder, "d.ppm", Text("P3 2 1 255 255 0 0  0 0 255")));
        Assert.AreEqual(3, plainColour.Channels);
        CollectionAssert.AreEqual(new byte[] { 255, 0, 0, 0, 0, 255 }, plainColour.Pixels);
        var rawColour = NetpbmImage.Decode(Write(folder, "e.ppm", Text("P6 1 1 255\n"), [10, 20, 30]));
        CollectionAssert.AreEqual(new byte[] { 10, 20, 30 }, rawColour.Pixels);
        // Bitmaps: 1 is black; raw rows are padded to whole bytes.
        var plainBits = NetpbmImage.Decode(Write(folder, "f.pbm", Text("P1 3 1 1 0 1")));
        CollectionAssert.AreEqual(new byte[] { 0, 255, 0 }, plainBits.Pixels);
        var rawBits = NetpbmImage.Decode(Write(folder, "g.pbm", Text("P4 3 2\n"), [0b1010_0000, 0b0100_0000]));
        CollectionAssert.AreEqual(new byte[] { 0, 255, 0, 255, 0, 255 }, rawBits.Pixels);
    }

    [TestMethod]
    public void TheConvertedPngReadsBackThroughMLNetWithTheSamePixels_AndIsCachedByContent()
    {
        using var folder = new TempFolder();
        using var cache = new TempFolder();
        var pixels = Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray();
        string gray = Write(folder, "face.pgm", Text("P5 4 3 255\n"), pixels);
        string png = NetpbmConversion.ToPng(gray, cache.Path);
        StringAssert.StartsWith(png, cache.Path);
        Assert.AreEqual("face.png", Path.GetFileName(png));
        var written = File.GetLastWriteTimeUtc(png);
        Assert.AreEqual(png, NetpbmConversion.ToPng(gray, cache.Path), "the same file again: the cached PNG");
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(png), "not written twice");
        Assert.IsEmpty(Directory.GetFiles(cache.Path, "*.tmp", SearchOption.AllDirectories));
        ImageFileCheck.Check(png);

        using var image = MLImage.CreateFromFile(png);
        Assert.AreEqual((4, 3), (image.Width, image.Height));
        var bgr = image.GetBGRPixels;
        for (int i = 0; i < 12; i++)
            for (int c = 0; c < 3; c++)
                Assert.AreEqual(pixels[i], bgr[3 * i + c], $"pixel {i}, channel {c}");

        string colour = Write(folder, "tile.ppm", Text("P6 2 1 255\n"), [200, 100, 50, 1, 2, 3]);
        using var rgb = MLImage.CreateFromFile(NetpbmConversion.ToPng(colour, cache.Path));
        CollectionAssert.AreEqual(new byte[] { 50, 100, 200, 3, 2, 1 }, rgb.GetBGRPixels, "blue, green, red of each pixel");
        Assert.AreEqual(png, NetpbmConversion.DecodablePath(gray, cache.Path));
        Assert.AreEqual(folder.Combine("x.png"), NetpbmConversion.DecodablePath(folder.Combine("x.png"), cache.Path), "other formats are left alone");
    }

    [TestMethod]
    [DataRow("P7 1 1 255\n", "does not start with P1 to P6", DisplayName = "PAM")]
    [DataRow("GIF89a", "does not start with P1 to P6", DisplayName = "not Netpbm")]
    [DataRow("P5 2", "no height", DisplayName = "header cut")]
    [DataRow("P5 0 3 255\n", "claims 0x3 pixels", DisplayName = "no width")]
    [DataRow("P5 100000 100000 255\n", "claims 100000x100000 pixels", DisplayName = "too large")]
    [DataRow("P5 2 2 0\n", "maximum value 0", DisplayName = "maximum 0")]
    [DataRow("P5 2 2 70000\n", "maximum value 70000", DisplayName = "maximum over 16 bits")]
    [DataRow("P5 2 2 255\n\u0001\u0002", "truncated: its pixels need 4 bytes after the header, and 2 are there", DisplayName = "raw pixels cut")]
    [DataRow("P2 2 1 255 0", "no pixel value", DisplayName = "plain pixels cut")]
    [DataRow("P2 1 1 15 16", "pixel value 16 above its maximum 15", DisplayName = "plain value over the maximum")]
    [DataRow("P1 2 1 1 2", "no 0 or 1", DisplayName = "bitmap digit 2")]
    public void ABrokenFileIsRefusedByName_AndNothingIsCached(string content, string expected)
    {
        using var folder = new TempFolder();
        using var cache = new TempFolder();
        string path = Write(folder, "broken.pgm", Text(content));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => NetpbmConversion.ToPng(path, cache.Path));
        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, expected);
        Assert.IsEmpty(Directory.GetFiles(cache.Path, "*", SearchOption.AllDirectories), "no PNG and no temporary file left");
    }

    [TestMethod]
    public void AFaceFolderOfPgmFiles_DecodesThroughTheLoadersRows()
    {
        // The AT&T layout: s1/1.pgm ...; the loader's rows are PNG paths that the trainer's decoding reads like any other.
        using var root = new TempFolder();
        using var cache = new TempFolder();
        var random = new Random(3);
        for (int person = 1; person <= 3; person++)
            for (int shot = 1; shot <= 3; shot++)
            {
                Directory.CreateDirectory(root.Combine($"s{person}"));
                var pixels = Enumerable.Range(0, 28 * 28).Select(i => (byte)(person * 60 + random.Next(20))).ToArray();
                Write(root, Path.Combine($"s{person}", $"{shot}.pgm"), Text("P5 28 28 255\n"), pixels);
            }
        var entries = ImageFolder.Scan(root.Path, new ImageFolderOptions { ConversionCacheDirectory = cache.Path });
        CollectionAssert.AreEqual(new[] { "s1", "s1", "s1", "s2", "s2", "s2", "s3", "s3", "s3" }, entries.Select(e => e.Label).ToArray());
        var decoded = ImagePreprocessing.DecodeToArray(new MLContext(seed: 1), entries.Select(e => e.ImagePath).ToList(), new ImagePreprocessingOptions { Width = 28, Height = 28 });
        Assert.AreEqual(9 * 28 * 28, decoded.Length);
        Assert.AreEqual(60 / 255f, decoded.Take(28 * 28).Min(), 1 / 255f + 1e-6f, "s1's first face: its pixels, not black");
        Assert.AreEqual(180 / 255f, decoded.Skip(8 * 28 * 28).Min(), 1 / 255f + 1e-6f, "s3's last face");
    }

}
