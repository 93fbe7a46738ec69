using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Cli;
using MLNet.Siamese.ModelFiles;
using MLNet.Siamese.Tests.Data;
using MLNet.Siamese.Trainers;
using MLNet.Siamese.Tests.Cli;
using MLNet.Siamese.Tests.Trainers;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Wrong-version model zips: the saved pair scorer of an image model (a TransformerChain of ImageAnalytics transforms
/// and an OnnxTransform) with one Model.key header rewritten to claim a version, format or loader this ML.NET cannot
/// read, re-zipped so every CRC-32 is consistent (only the version check can catch it). Each is either refused with a
/// clear exception by ML.NET, by <see cref="SiameseModelFile.Load"/> (InvalidDataException naming the file) and by
/// <c>siamese evaluate --model</c> (exit code 2, one line), or, where ML.NET's rules say it can read the file, loads
/// and scores exactly like the original: never a crash, never a model that loads and scores differently.
/// </summary>
[TestClass]
public sealed class ModelVersionTests
{
    // ML.NET 5.0.1 writes header format 0x00010002 and OnnxTransform component version 0x00010003 (read from a saved zip).
    private const uint NextHeaderFormat = 0x00010003;
    private const uint NextOnnxVersion = 0x00010004;

    private static readonly Dictionary<string, Action<byte[]>> Edits = new()
    {
        // The header format itself: VerReadable above what this ML.NET writes means "you need a newer reader".
        ["header-format-newer"] = key =>
        {
            ModelKeyHeader.WriteUInt32(key, ModelKeyHeader.VerWritten, NextHeaderFormat);
            ModelKeyHeader.WriteUInt32(key, ModelKeyHeader.VerReadable, NextHeaderFormat);
        },
        // Written with a newer header format that declares this version can still read it.
        ["header-format-newer-written-only"] = key => ModelKeyHeader.WriteUInt32(key, ModelKeyHeader.VerWritten, NextHeaderFormat),
        // The component's own version: written by a newer version that declares older readers cannot read it.
        ["component-newer"] = key =>
        {
            ModelKeyHeader.WriteUInt32(key, ModelKeyHeader.ModelVerWritten, NextOnnxVersion);
            ModelKeyHeader.WriteUInt32(key, ModelKeyHeader.ModelVerReadable, NextOnnxVersion);
        },
        // Written by a newer version that declares this version can still read it (ML.NET's forward compatibility).
        ["component-newer-but-readable"] = key => ModelKeyHeader.WriteUInt32(key, ModelKeyHeader.ModelVerWritten, NextOnnxVersion),
        ["component-older-than-supported"] = key =>
        {
            ModelKeyHeader.WriteUInt32(key, ModelKeyHeader.ModelVerWritten, 0x00010000);
            ModelKeyHeader.WriteUInt32(key, ModelKeyHeader.ModelVerReadable, 0x00010000);
        },
        ["component-signature-other"] = key => key[ModelKeyHeader.ModelSignature + 7] ^= 0x20,
        ["loader-unknown"] = key => ModelKeyHeader.WriteLoaderSignature(key, "FutureOnnxTransform"),
        ["loader-assembly-unknown"] = key =>
            ModelKeyHeader.WriteAssemblyNameSameLength(key, "Microsoft.ML.FutureTransforms, Version=9.0.0.0, Culture=neutral, PublicKeyToken=null"),
    };

    private static ReliabilityFolder _folder = null!;
    private static string _images = string.Empty;
    private static byte[] _zip = [];
    private static List<ImagePair> _pairs = [];
    private static float[] _expected = [];

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        _folder = new ReliabilityFolder();
        _images = _folder.Combine("images");
        var rows = new List<ImageRow>();
        for (int c = 0; c < 2; c++)
            for (int k = 0; k < 3; k++)
                rows.Add(new ImageRow { ImagePath = TestFiles.WritePng(Path.Combine(_images, $"c{c}", $"{k}.png"), 28, 28, square: 6 + c * 6, x: k, y: k), Label = $"c{c}" });
        var ml = new MLContext(1);
        var model = ml.Siamese().Train(SmallRuns.TinyImageModel()).Fit(ml.Data.LoadFromEnumerable(rows));
        string path = _folder.Combine("model.zip");
        model.SavePairScorer(path);
        _zip = File.ReadAllBytes(path);
        _pairs = [.. from a in rows from b in rows where string.CompareOrdinal(a.ImagePath, b.ImagePath) < 0
                     select new ImagePair { LeftImagePath = a.ImagePath, RightImagePath = b.ImagePath }];
        _expected = Scores(ml, ml.Model.Load(path, out _));
    }

    [ClassCleanup]
    public static void Cleanup() => _folder?.Dispose();

    /// <summary>Score, Distance and the left embedding of every pair, flattened.</summary>
    private static float[] Scores(MLContext ml, ITransformer model)
    {
        var scored = model.Transform(ml.Data.LoadFromEnumerable(_pairs));
        var values = new List<float>();
        using var cursor = scored.GetRowCursor(scored.Schema);
        var getters = new[] { "Score", "Distance", "LeftEmbedding" }.Select(n => cursor.GetGetter<VBuffer<float>>(scored.Schema[n])).ToArray();
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            foreach (var getter in getters)
            {
                getter(ref buffer);
                values.AddRange(buffer.DenseValues());
            }
        }
        return [.. values];
    }

    /// <summary>Writes the saved zip with <paramref name="edit"/> applied to the Model.key of <paramref name="loader"/>.</summary>
    private string WriteEdited(string loader, string edit)
    {
        string entry = ModelKeyHeader.FindKey(_zip, loader);
        byte[] edited = ModelKeyHeader.RewriteEntry(_zip, entry, Edits[edit]);
        CollectionAssert.AreNotEqual(Key(_zip, entry), Key(edited, entry), "the edit changed the header");
        string path = _folder.Combine($"{loader}-{edit}.zip");
        File.WriteAllBytes(path, edited);
        TestContext.WriteLine($"{edit} in {entry}");
        return path;
    }

    private static byte[] Key(byte[] zip, string entry) => ModelKeyHeader.Entries(zip).Single(e => e.Name == entry).Bytes;

    [TestMethod]
    public void TheSavedHeadersHoldTheVersionsTheEditsStepPast_AndReZippingAloneChangesNothing()
    {
        // If an ML.NET upgrade changes these, the "next version" constants above must follow.
        byte[] onnx = Key(_zip, ModelKeyHeader.FindKey(_zip, "OnnxTransform"));
        byte[] chain = Key(_zip, ModelKeyHeader.FindKey(_zip, "TransformerChain"));
        Assert.AreEqual(NextHeaderFormat - 1, ModelKeyHeader.ReadUInt32(onnx, ModelKeyHeader.VerReadable));
        Assert.AreEqual(NextHeaderFormat - 1, ModelKeyHeader.ReadUInt32(chain, ModelKeyHeader.VerReadable));
        Assert.AreEqual(NextOnnxVersion - 1, ModelKeyHeader.ReadUInt32(onnx, ModelKeyHeader.ModelVerWritten));
        Assert.AreEqual(NextOnnxVersion - 1, ModelKeyHeader.ReadUInt32(onnx, ModelKeyHeader.ModelVerReadable));
        Assert.AreEqual("ONNXSCOR", ModelKeyHeader.ReadModelSignature(onnx));
        StringAssert.StartsWith(ModelKeyHeader.ReadAssemblyName(onnx), "Microsoft.ML.OnnxTransformer,");
        StringAssert.StartsWith(ModelKeyHeader.ReadAssemblyName(chain), "Microsoft.ML.Data,");

        // The control: the same entries re-zipped with no edit load and score exactly as the original.
        string path = WriteBytes(ModelKeyHeader.RewriteEntry(_zip, ModelKeyHeader.FindKey(_zip, "OnnxTransform"), _ => { }), "rezipped.zip");
        var ml = new MLContext(1);
        CollectionAssert.AreEqual(_expected, Scores(ml, SiameseModelFile.Load(ml, path, out _)));
        Assert.IsTrue(_expected.Any(v => v != 0f), "the scores compared are not all zero");
    }

    private static string Chain(Exception error)
    {
        var parts = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
            parts.Add($"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
        return string.Join(" -> ", parts);
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
            error = error.InnerException;
        return error;
    }

    [TestMethod]
    [DataRow("OnnxTransform", "header-format-newer", "File is too new")]
    [DataRow("TransformerChain", "header-format-newer", "File is too new")]
    [DataRow("OnnxTransform", "component-newer", "because the model is too new")]
    [DataRow("OnnxTransform", "component-older-than-supported", "because the model is too old")]
    [DataRow("OnnxTransform", "component-signature-other", "Unknown file type")]
    [DataRow("OnnxTransform", "loader-unknown", "Couldn't load model: 'TransformerChain/Transform_")]
    [DataRow("TransformerChain", "loader-unknown", "Couldn't load model: 'TransformerChain'")]
    [DataRow("OnnxTransform", "loader-assembly-unknown", "Microsoft.ML.FutureTransforms")]
    [DataRow("TransformerChain", "loader-assembly-unknown", "Microsoft.ML.FutureTransforms")]
    public void AModelZipThisMLNetCannotReadIsRefusedNamingTheFileAndTheReason(string loader, string edit, string reason)
    {
        string path = WriteEdited(loader, edit);
        SiameseModelFile.Verify(path); // the zip itself is intact: only the version check can refuse it

        var ml = new MLContext(1);
        var raw = Assert.Throws<Exception>(() => ml.Model.Load(path, out _));
        TestContext.WriteLine($"ml.Model.Load: {Chain(raw)}");
        StringAssert.Contains(Innermost(raw).Message, reason, "ML.NET's innermost exception carries the reason");

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => SiameseModelFile.Load(ml, path, out _));
        TestContext.WriteLine($"SiameseModelFile.Load: {ex.Message}");
        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, reason);
        StringAssert.Contains(ex.Message, $"ML.NET {RunningMLNetVersion()}");
        StringAssert.Contains(ex.Message, "version");
        Assert.DoesNotContain("Error during class instantiation", ex.Message);
        Assert.DoesNotContain('\n', ex.Message, "one line");
        Assert.AreSame(raw.GetType(), ex.InnerException?.GetType(), "ML.NET's exception is kept as the inner exception");
    }

    [TestMethod]
    [DataRow("OnnxTransform", "component-newer-but-readable")]
    [DataRow("OnnxTransform", "header-format-newer-written-only")]
    [DataRow("TransformerChain", "component-newer")]
    [DataRow("TransformerChain", "component-older-than-supported")]
    [DataRow("TransformerChain", "component-signature-other")]
    public void AVersionChangeMLNetAcceptsLoadsAModelThatScoresExactlyTheSame(string loader, string edit)
    {
        // ML.NET 5.0.1 reads a file whose VerReadable it supports even when VerWritten is newer (by design), and does not
        // check the TransformerChain component's own signature and versions at all: the file still loads, and since
        // nothing else changed it must score exactly as the original, through both loaders.
        string path = WriteEdited(loader, edit);
        var ml = new MLContext(1);
        CollectionAssert.AreEqual(_expected, Scores(ml, ml.Model.Load(path, out _)));
        CollectionAssert.AreEqual(_expected, Scores(ml, SiameseModelFile.Load(ml, path, out _)));
    }

    [TestMethod]
    public void TheRecordedMLNetVersionIsNotChecked_AndChangingItChangesNothing()
    {
        // TrainingInfo/Version.txt records the writer's ML.NET version ("5.0.1+<commit>"); ML.NET never reads it back.
        string original = Encoding.UTF8.GetString(ModelKeyHeader.Entries(_zip).Single(e => e.Name == "TrainingInfo/Version.txt").Bytes);
        TestContext.WriteLine($"Version.txt: {original.Trim()}");
        StringAssert.StartsWith(original, RunningMLNetVersion());
        string path = WriteBytes(ModelKeyHeader.ReplaceEntry(_zip, "TrainingInfo/Version.txt", _ => Encoding.UTF8.GetBytes("99.0.0+future\n")), "version-txt.zip");
        var ml = new MLContext(1);
        CollectionAssert.AreEqual(_expected, Scores(ml, SiameseModelFile.Load(ml, path, out _)));
    }

    [TestMethod]
    [DataRow("OnnxTransform", "component-newer")]
    [DataRow("TransformerChain", "header-format-newer")]
    [DataRow("TransformerChain", "loader-unknown")]
    public void SiameseEvaluateRefusesAWrongVersionModelInOneLine(string loader, string edit)
    {
        CliRunner.Run("evaluate", "--model", _folder.Combine("model.zip"), "--data", _images, "--pairs", "6").AssertExitCode(0);

        string path = WriteEdited(loader, edit);
        var result = CliRunner.Run("evaluate", "--model", path, "--data", _images, "--pairs", "6");
        TestContext.WriteLine($"exit {result.ExitCode}: {result.Error}");
        result.AssertExitCode(2);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, result.Error);
        StringAssert.Contains(lines[0], path);
        StringAssert.Contains(lines[0], "version");
        Assert.DoesNotContain(" at ", lines[0], "no stack trace");
        Assert.AreEqual(string.Empty, result.Out, "nothing scored");
    }

    private static string WriteBytes(byte[] bytes, string name)
    {
        string path = _folder.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The running ML.NET package version, as SiameseModelFile names it ("5.0.1").</summary>
    private static string RunningMLNetVersion()
    {
        string version = typeof(MLContext).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        return version.Split('+')[0];
    }

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = string.Empty;

        public string Label { get; set; } = string.Empty;
    }
}
