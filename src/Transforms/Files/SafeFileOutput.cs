using System.Runtime.InteropServices;

namespace MLNet.Siamese.Files;

/// <summary>
/// Writes an output file safely: the content goes to a new temporary file with a random name in the target folder,
/// created exclusively (<see cref="FileMode.CreateNew"/>, i.e. <c>O_CREAT | O_EXCL</c>, which never follows a symbolic
/// link planted at that name), is flushed to disk, and is then renamed over the target (a rename replaces a link at the
/// target instead of writing through it). A reader therefore sees either the old file or the complete new one, and a
/// planted link cannot redirect the write. <see cref="CheckNotAnInput"/> refuses an output that names one of the inputs.
/// </summary>
internal static class SafeFileOutput
{
    /// <summary>Writes <paramref name="path"/> through an exclusive temporary file and a rename.</summary>
    /// <param name="path">The file to write (its folder is created when missing).</param>
    /// <param name="write">Writes the content to the stream it is given (do not dispose it).</param>
    /// <exception cref="IOException">The target is a folder, or the write failed; no temporary file is left.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new IOException($"Output '{full}' is a folder; give a file name.");
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Refuses an output that is one of the inputs (same path after resolving symbolic links).</summary>
    /// <param name="output">The output file.</param>
    /// <param name="outputName">How the user named the output, for the message (e.g. <c>--out</c>).</param>
    /// <param name="inputs">The inputs, each with how the user named it (e.g. <c>--data</c>).</param>
    /// <exception cref="ArgumentException">The output names an input; the message names both.</exception>
    public static void CheckNotAnInput(string output, string outputName, IEnumerable<(string Path, string Name)> inputs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        ArgumentNullException.ThrowIfNull(inputs);
        string target = RealPath(output);
        foreach (var (input, name) in inputs)
        {
            if (string.IsNullOrWhiteSpace(input))
                continue;
            if (string.Equals(target, RealPath(input), StringComparison.Ordinal))
                throw new ArgumentException($"{outputName} '{output}' is the same file as {name} '{input}'; writing it would destroy the input. Give another file name.");
        }
    }

    /// <summary>The absolute path with every symbolic link resolved (as far as the path exists).</summary>
    /// <param name="path">A path.</param>
    /// <returns>The resolved absolute path.</returns>
    internal static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        if (!OperatingSystem.IsWindows() && (File.Exists(full) || Directory.Exists(full)))
        {
            IntPtr resolved = NativeRealPath(full, IntPtr.Zero);
            if (resolved != IntPtr.Zero)
            {
                try
                {
                    return Marshal.PtrToStringUTF8(resolved) ?? full;
                }
                finally
                {
                    Marshal.FreeHGlobal(resolved);
                }
            }
        }
        return full;
    }

    [DllImport("libc", EntryPoint = "realpath", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr NativeRealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    private static void TryDelete(string file)
    {
        try
        {
            if (File.Exists(file))
                File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
