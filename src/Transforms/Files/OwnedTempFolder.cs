using System.Collections.Concurrent;

namespace MLNet.Siamese.Files;

/// <summary>
/// A private temporary folder (readable by its owner only) that cannot outlive its process for long: it carries an
/// <see cref="TempFolderOwner"/> stamp, it is deleted when disposed, every folder still undisposed is deleted when the
/// process exits normally, and the first folder a process makes under a root deletes that root's folders (of the same
/// prefix) whose stamped process is gone, which is what a killed process leaves. ML.NET copies ONNX graphs to temporary
/// files it deletes only when their transformer is disposed; without this, every process that trained or loaded a photo
/// model and ended without disposing it left 60 to 200 MB behind (221 such folders, 9.1 GB, were found in one
/// machine's <c>/tmp</c>).
/// </summary>
internal sealed class OwnedTempFolder : IDisposable
{
    private static readonly ConcurrentDictionary<string, OwnedTempFolder> Live = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> Reaped = new(StringComparer.Ordinal);
    private static int _exitHooked;

    private OwnedTempFolder(string path) => Path = path;

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>Creates a new folder named <paramref name="prefix"/> and a random suffix under <paramref name="root"/>.</summary>
    /// <param name="root">The parent folder (created when missing), usually <c>MLContext.TempFilePath</c> or <c>$TMPDIR</c>.</param>
    /// <param name="prefix">The start of the folder's name; stale folders are only looked for among names with it.</param>
    /// <returns>The folder, stamped and registered for deletion at exit.</returns>
    public static OwnedTempFolder Create(string root, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        string fullRoot = System.IO.Path.GetFullPath(root);
        Directory.CreateDirectory(fullRoot);
        if (Reaped.TryAdd(fullRoot + "\n" + prefix, true))
            TempFolderReaper.DeleteStale(fullRoot, prefix);
        string path = System.IO.Path.Combine(fullRoot, prefix + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        TempFolderOwner.Stamp(path);
        var folder = new OwnedTempFolder(path);
        Live[path] = folder;
        if (Interlocked.Exchange(ref _exitHooked, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAllLive();
        return folder;
    }

    /// <summary>The full path of <paramref name="name"/> inside the folder.</summary>
    /// <param name="name">A file name.</param>
    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Deletes the folder and everything in it (best effort) and forgets it.</summary>
    public void Dispose()
    {
        Live.TryRemove(Path, out _);
        DeleteTree(Path);
    }

    /// <summary>Deletes <paramref name="path"/> recursively, a few times over: ML.NET's transformers delete their own
    /// copies when finalized, which can race with the walk (a file vanishing mid-walk fails it).</summary>
    /// <param name="path">The folder.</param>
    internal static void DeleteTree(string path)
    {
        for (int attempt = 0; attempt < 5 && Directory.Exists(path); attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
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

    private static void DeleteAllLive()
    {
        foreach (var folder in Live.Values)
            folder.Dispose();
    }
}
