using Microsoft.ML;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// The ONNX files a <see cref="SiameseModel"/>'s transformers load, in a folder of its own under
/// <see cref="MLContext.TempFilePath"/>. Given a stream, ML.NET copies an ONNX graph to a temporary file that its
/// transformer does not remove when disposed; given a path, it reads that file. The model therefore writes its graphs
/// here and deletes the folder when it is disposed, so a disposed model leaves nothing in the temporary folder.
/// </summary>
internal sealed class ModelTempFiles : IDisposable
{
    private readonly string _folder;

    public ModelTempFiles(MLContext context)
    {
        string root = string.IsNullOrEmpty(context.TempFilePath) ? Path.GetTempPath() : context.TempFilePath;
        _folder = Path.Combine(root, "mlnet-siamese-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(_folder);
        else
            Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Writes <paramref name="bytes"/> as a new file named <paramref name="name"/> in the folder.</summary>
    /// <returns>The file's full path.</returns>
    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            file.Write(bytes);
        return path;
    }

    /// <summary>Deletes the folder and its files (best effort).</summary>
    public void Dispose()
    {
        for (int attempt = 0; attempt < 5 && Directory.Exists(_folder); attempt++)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
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
