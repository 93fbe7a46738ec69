using MLNet.Siamese.Index;

namespace MLNet.Siamese.Tests.Index;

[TestClass]
public sealed class SimilarityIndexPersistenceTests
{
    private string _dir = null!;

    [TestInitialize]
    public void CreateFolder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "mlnet-siamese-tests", "index-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TestCleanup]
    public void DeleteFolder()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static void AssertSame(SimilarityIndex expected, SimilarityIndex actual)
    {
        Assert.AreEqual(expected.Dimension, actual.Dimension);
        Assert.AreEqual(expected.Distance, actual.Distance);
        Assert.AreEqual(expected.Count, actual.Count);
        CollectionAssert.AreEqual(expected.Ids.ToArray(), actual.Ids.ToArray());
        CollectionAssert.AreEqual(expected.Labels.ToArray(), actual.Labels.ToArray());
        for (int i = 0; i < expected.Count; i++)
            CollectionAssert.AreEqual(expected.GetEmbedding(i), actual.GetEmbedding(i));
    }

    [TestMethod]
    [DataRow(VectorDistance.Euclidean)]
    [DataRow(VectorDistance.Cosine)]
    public void SaveAndLoadRoundTrip(VectorDistance distance)
    {
        var vectors = IndexTestData.RandomVectors(200, 12, 11);
        var index = IndexTestData.Build(vectors, distance);
        index.Add("ünïcode ✓ id", "label with spaces / and ✓", vectors[0]);
        index.Add("empty-label", "", vectors[1]);
        string path = Path.Combine(_dir, "gallery.mlnsidx");
        index.Save(path);
        var loaded = SimilarityIndex.Load(path);
        AssertSame(index, loaded);
        var query = IndexTestData.RandomVectors(1, 12, 12)[0];
        CollectionAssert.AreEqual(index.Search(query, 15).ToArray(), loaded.Search(query, 15).ToArray());
        Assert.IsEmpty(Directory.GetFiles(_dir, "*.tmp"), "no temporary file is left");
    }

    [TestMethod]
    public void TheFileLayoutIsTheDocumentedOne()
    {
        var index = new SimilarityIndex(2, VectorDistance.Cosine);
        index.Add("a", "L", [1f, 2f]);
        string path = Path.Combine(_dir, "tiny.mlnsidx");
        index.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        byte[] expectedBody =
        [
            (byte)'M', (byte)'L', (byte)'N', (byte)'S', (byte)'I', (byte)'D', (byte)'X', 0x1A,
            1, 0, 0, 0,  2, 0, 0, 0,  1, 0, 0, 0,  1, 0, 0, 0,     // version, dimension, count, distance (cosine)
            1, 0, 0, 0, (byte)'a',                                  // id
            1, 0, 0, 0, (byte)'L',                                  // label
            0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40,        // 1.0f, 2.0f little-endian
        ];
        CollectionAssert.AreEqual(expectedBody, bytes[..^32]);
        CollectionAssert.AreEqual(System.Security.Cryptography.SHA256.HashData(expectedBody), bytes[^32..]);
    }

    [TestMethod]
    public void AnEmptyIndexRoundTrips()
    {
        string path = Path.Combine(_dir, "empty.mlnsidx");
        new SimilarityIndex(5).Save(path);
        var loaded = SimilarityIndex.Load(path);
        Assert.AreEqual(0, loaded.Count);
        Assert.AreEqual(5, loaded.Dimension);
    }

    [TestMethod]
    public void AFailedSaveLeavesThePreviousFileIntact()
    {
        string path = Path.Combine(_dir, "gallery.mlnsidx");
        var original = IndexTestData.Build(IndexTestData.RandomVectors(50, 8, 1), VectorDistance.Euclidean);
        original.Save(path);
        byte[] before = File.ReadAllBytes(path);

        var replacement = IndexTestData.Build(IndexTestData.RandomVectors(80, 8, 2), VectorDistance.Euclidean);
        var e = Assert.ThrowsExactly<IOException>(() =>
            SimilarityIndexFile.Save(replacement, path, file => new FailingStream(file, failAfterBytes: 700)));
        StringAssert.Contains(e.Message, "injected");

        CollectionAssert.AreEqual(before, File.ReadAllBytes(path), "the previous file is unchanged");
        AssertSame(original, SimilarityIndex.Load(path));
        Assert.AreEqual(1, Directory.GetFiles(_dir).Length, "the temporary file was removed");
    }

    [TestMethod]
    public void SavingIntoAMissingFolderOrOverAFolderFailsClearly()
    {
        var index = IndexTestData.Build(IndexTestData.RandomVectors(3, 2, 1), VectorDistance.Euclidean);
        var missing = Assert.ThrowsExactly<DirectoryNotFoundException>(() => index.Save(Path.Combine(_dir, "nope", "x.mlnsidx")));
        StringAssert.Contains(missing.Message, "nope");
        Directory.CreateDirectory(Path.Combine(_dir, "folder"));
        Assert.ThrowsExactly<IOException>(() => index.Save(Path.Combine(_dir, "folder")));
    }

    [TestMethod]
    public void CorruptedTruncatedAndForeignFilesAreRejectedNamingTheFile()
    {
        string path = Path.Combine(_dir, "gallery.mlnsidx");
        IndexTestData.Build(IndexTestData.RandomVectors(40, 6, 3), VectorDistance.Cosine).Save(path);
        byte[] good = File.ReadAllBytes(path);

        void Expect(byte[] content, string fragment)
        {
            string bad = Path.Combine(_dir, "bad.mlnsidx");
            File.WriteAllBytes(bad, content);
            var e = Assert.ThrowsExactly<InvalidDataException>(() => SimilarityIndex.Load(bad));
            StringAssert.Contains(e.Message, bad);
            StringAssert.Contains(e.Message, fragment);
        }

        byte[] flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x40;                          // one bit in the embeddings or text
        Expect(flipped, "checksum");
        byte[] header = (byte[])good.Clone();
        header[12] = 7;                                             // dimension: the checksum catches it first
        Expect(header, "checksum");
        Expect(good[..(good.Length - 1)], "checksum");              // truncated by one byte
        Expect(good[..(good.Length / 3)], "checksum");              // truncated by two thirds
        Expect(good[..20], "shorter");                              // shorter than header + trailer
        byte[] foreign = (byte[])good.Clone();
        foreign[0] = (byte)'P';
        Expect(foreign, "magic");
        byte[] version = (byte[])good.Clone();
        version[8] = 9;
        Expect(version, "version 9");
        Assert.ThrowsExactly<FileNotFoundException>(() => SimilarityIndex.Load(Path.Combine(_dir, "missing.mlnsidx")));
    }

    /// <summary>A stream that passes writes through until a byte budget is spent, then throws (a disk that fills up).</summary>
    private sealed class FailingStream(Stream inner, long failAfterBytes) : Stream
    {
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > failAfterBytes)
            {
                int allowed = (int)(failAfterBytes - _written);
                inner.Write(buffer[..allowed]);
                _written = failAfterBytes;
                throw new IOException("No space left on device (injected failure).");
            }
            inner.Write(buffer);
            _written += buffer.Length;
        }
    }
}
