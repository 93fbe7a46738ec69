using Microsoft.ML;
using MLNet.Siamese.Files;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// The ONNX files a <see cref="SiameseModel"/>'s transformers load, in an <see cref="OwnedTempFolder"/> of its own under
/// <see cref="MLContext.TempFilePath"/>. Given a stream, ML.NET copies an ONNX graph to a temporary file that its
/// transformer does not remove when disposed; given a path, it reads that file. The model therefore writes its graphs
/// here and deletes the folder when it is disposed; a model never disposed loses its folder when the process exits, or,
/// if the process was killed, when a later process makes its first model under the same folder.
/// </summary>
internal sealed class ModelTempFiles : IDisposable
{
    /// <summary>The start of every model folder's name.</summary>
    public const string Prefix = "mlnet-siamese-";

    private readonly OwnedTempFolder _folder;

    public ModelTempFiles(MLContext context)
    {
        string root = string.IsNullOrEmpty(context.TempFilePath) ? Path.GetTempPath() : context.TempFilePath;
        _folder = OwnedTempFolder.Create(root, Prefix);
    }

    /// <summary>Writes <paramref name="bytes"/> as a new file named <paramref name="name"/> in the folder.</summary>
    /// <returns>The file's full path.</returns>
    public string Write(string name, byte[] bytes)
    {
        string path = _folder.Combine(name);
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            file.Write(bytes);
        return path;
    }

    /// <summary>Deletes the folder and its files (best effort).</summary>
    public void Dispose() => _folder.Dispose();
}
