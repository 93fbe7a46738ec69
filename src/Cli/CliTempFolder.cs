namespace MLNet.Siamese.Cli;

/// <summary>
/// A private folder for what ML.NET writes while a command runs (the ONNX graphs it copies to load or build
/// <c>ApplyOnnxModel</c> transforms): created new under the temporary folder, readable by its owner only, given to
/// <see cref="Microsoft.ML.MLContext.TempFilePath"/>, and deleted with everything in it when the command ends, so no
/// command leaves files in <c>$TMPDIR</c> and no other user can plant or read them.
/// </summary>
internal sealed class CliTempFolder : IDisposable
{
    private CliTempFolder(string path) => Path = path;

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>Creates a new private folder with a random name.</summary>
    public static CliTempFolder Create()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "siamese-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new CliTempFolder(path);
    }

    /// <summary>
    /// Deletes the folder and everything in it (best effort). ML.NET's ONNX transformers delete their own copies when
    /// they are finalized, which can race with the recursive delete (a file vanishing mid-walk fails it), so the delete
    /// is tried a few times.
    /// </summary>
    public void Dispose()
    {
        for (int attempt = 0; attempt < 5 && Directory.Exists(Path); attempt++)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                Thread.Sleep(20);
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }
}
