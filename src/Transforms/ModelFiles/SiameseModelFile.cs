using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.ML;
using MLNet.Siamese.Data;

namespace MLNet.Siamese.ModelFiles;

/// <summary>
/// Loads ML.NET model zips after checking their integrity. ML.NET's own <c>mlContext.Model.Load</c> checks no
/// checksum: a zip damaged in transit can load and score differently without any error (measured: 32 of 200 random
/// byte mutations of a saved pair scorer did). This loader first verifies every entry's CRC-32 and, when given, the
/// SHA-256 of the whole file published alongside it (a hash stored inside the zip could not stop deliberate
/// tampering, since whoever edits the zip could update it too). A zip that is intact but that this ML.NET cannot read
/// (written by a newer or different version: a component or header version it does not support, an unknown loader
/// name or loader assembly) is refused with an <see cref="InvalidDataException"/> naming the file and ML.NET's reason,
/// instead of ML.NET's own "Error during class instantiation" around nested TargetInvocationExceptions. A model whose
/// ONNX graph stores a tensor as external data (which ONNX Runtime would read from a file next to the temporary copy
/// ML.NET makes) is refused: this library never writes one.
/// </summary>
public static class SiameseModelFile
{
    /// <summary>Verifies <paramref name="path"/> and loads it with <c>mlContext.Model.Load</c>.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="path">The model zip.</param>
    /// <param name="inputSchema">The input schema saved with the model (null if none was saved).</param>
    /// <param name="expectedSha256">Optional hex SHA-256 of the whole file, as published by whoever trained it.</param>
    /// <returns>The loaded transformer.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, an entry is damaged, or the SHA-256 differs (the message
    /// names the file and entry); or ML.NET cannot load the verified zip, e.g. because it was written by a newer or different
    /// version of ML.NET (the message names the file, the ML.NET version running and ML.NET's reason on one line, and
    /// <see cref="Exception.InnerException"/> is ML.NET's exception); or an ONNX tensor in it is stored as external data.</exception>
    /// <remarks>ML.NET copies each ONNX graph to a file while the model is loaded; dispose the returned transformer (it is
    /// <see cref="IDisposable"/>) to delete it. The copies go to a folder of this process's under
    /// <see cref="MLContext.TempFilePath"/> (the setting is pointed there during the load and put back), which is deleted
    /// when the process exits, or, after a kill, by the next process that loads or trains a model there.</remarks>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema, string? expectedSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        Verify(path, expectedSha256);
        OnnxExternalDataCheck.Check(path);
        try
        {
            DataViewSchema? schema = null;
            var model = LoadedModelTempFolder.Run(mlContext, () => mlContext.Model.Load(path, out schema));
            inputSchema = schema!;
            return model;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            throw ModelLoadFailure.Describe(path, e);
        }
    }

    /// <summary>Checks that <paramref name="path"/> is a zip whose every entry matches its CRC-32, and optionally its SHA-256.</summary>
    /// <param name="path">The model zip.</param>
    /// <param name="expectedSha256">Optional hex SHA-256 of the whole file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is damaged or differs from the expected hash.</exception>
    public static void Verify(string path, string? expectedSha256 = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        if (expectedSha256 is not null)
        {
            string actual = ComputeSha256(path);
            if (!string.Equals(actual, expectedSha256.Trim(), StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"Model file '{path}' has SHA-256 {actual}, not the expected {expectedSha256.Trim()}: it was changed or damaged.");
        }
        try
        {
            using var archive = ZipFile.OpenRead(path);
            var buffer = new byte[81920];
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                var crc = new System.IO.Hashing.Crc32();
                long total = 0;
                using (var stream = entry.Open())
                {
                    int read;
                    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        crc.Append(buffer.AsSpan(0, read));
                        total += read;
                    }
                }
                if (total != entry.Length || crc.GetCurrentHashAsUInt32() != entry.Crc32)
                    throw new InvalidDataException($"Model file '{path}' is damaged: entry '{entry.FullName}' does not match its recorded size and CRC-32.");
            }
        }
        catch (InvalidDataException ex) when (!ex.Message.StartsWith("Model file", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Model file '{path}' is not a readable zip archive: {ex.Message}", ex);
        }
    }

    /// <summary>The SHA-256 of a file as lower-case hex, to publish next to a model zip.</summary>
    /// <param name="path">The file.</param>
    /// <returns>64 hex characters.</returns>
    public static string ComputeSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
