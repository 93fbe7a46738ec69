using System.Runtime.InteropServices;

namespace MLNet.Siamese.Cli;

/// <summary>
/// Points the process's native <c>TMPDIR</c> at a private folder for the life of the program and deletes it at the end.
/// ONNX Runtime's telemetry library writes a session file (<c>.ses</c>) to <c>$TMPDIR</c>; .NET's own environment
/// changes do not reach native code on Unix, so this sets the variable with libc's <c>setenv</c> before ONNX Runtime is
/// loaded. On Windows (no such file there) it does nothing.
/// </summary>
internal sealed class NativeTempFolder : IDisposable
{
    private readonly CliTempFolder? _folder;

    private NativeTempFolder(CliTempFolder? folder) => _folder = folder;

    /// <summary>Creates the private folder and sets the native <c>TMPDIR</c> to it (Linux and macOS).</summary>
    /// <returns>The redirection; dispose it when the program ends.</returns>
    public static NativeTempFolder Start()
    {
        if (OperatingSystem.IsWindows())
            return new NativeTempFolder(null);
        var folder = CliTempFolder.Create();
        if (SetEnvironment("TMPDIR", folder.Path, 1) != 0)
        {
            folder.Dispose();
            return new NativeTempFolder(null);
        }
        return new NativeTempFolder(folder);
    }

    /// <summary>Deletes the private folder and what native code left in it.</summary>
    public void Dispose() => _folder?.Dispose();

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnvironment([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
