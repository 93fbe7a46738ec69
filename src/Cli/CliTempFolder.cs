using MLNet.Siamese.Files;

namespace MLNet.Siamese.Cli;

/// <summary>
/// A private folder for what ML.NET writes while a command runs (the ONNX graphs it copies to load or build
/// <c>ApplyOnnxModel</c> transforms): created new under the temporary folder, readable by its owner only, given to
/// <see cref="Microsoft.ML.MLContext.TempFilePath"/>, and deleted with everything in it when the command ends, so no
/// command leaves files in <c>$TMPDIR</c> and no other user can plant or read them. It is an
/// <see cref="OwnedTempFolder"/>: a command that is killed leaves its folder to the next command, which deletes it.
/// </summary>
internal sealed class CliTempFolder : IDisposable
{
    /// <summary>The start of every command folder's name.</summary>
    public const string Prefix = "siamese-";

    private readonly OwnedTempFolder _folder;

    private CliTempFolder(OwnedTempFolder folder) => _folder = folder;

    /// <summary>The folder's absolute path.</summary>
    public string Path => _folder.Path;

    /// <summary>Creates a new private folder with a random name.</summary>
    public static CliTempFolder Create() => new(OwnedTempFolder.Create(System.IO.Path.GetTempPath(), Prefix));

    /// <summary>Deletes the folder and everything in it (best effort).</summary>
    public void Dispose() => _folder.Dispose();
}
