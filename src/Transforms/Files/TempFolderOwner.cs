using System.Diagnostics;
using System.Globalization;

namespace MLNet.Siamese.Files;

/// <summary>
/// The stamp that says which process owns an <see cref="OwnedTempFolder"/>: a file <c>.owner</c> holding the process id,
/// the process's start time and where process ids mean that process (the machine's name and, on Linux, the process-id
/// namespace). A process id alone would not do: ids are reused (an id whose process started at another time is another
/// process), and a container sharing the temporary folder numbers its processes on its own (an id from another machine
/// or namespace says nothing here, so such a folder is never called stale).
/// </summary>
internal static class TempFolderOwner
{
    /// <summary>The stamp's file name inside the folder.</summary>
    public const string FileName = ".owner";

    private static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(2);
    private static readonly Lazy<string> Scope = new(() => Sanitize(Environment.MachineName) + "/" + PidNamespace());
    private static readonly Lazy<string> Current = new(() =>
    {
        using var self = Process.GetCurrentProcess();
        return Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + " "
            + self.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture) + " " + Scope.Value;
    });

    /// <summary>Writes this process's stamp into <paramref name="folder"/>.</summary>
    /// <param name="folder">A folder this process just created.</param>
    public static void Stamp(string folder) => File.WriteAllText(Path.Combine(folder, FileName), Current.Value);

    /// <summary>
    /// True when <paramref name="folder"/> has a readable stamp from this machine and process-id namespace and the process
    /// it names is no longer running. A folder without a stamp (being created, or made by something else), with a stamp it
    /// cannot read, from elsewhere, or whose process cannot be inspected is never called stale.
    /// </summary>
    /// <param name="folder">The folder to judge.</param>
    public static bool IsStale(string folder)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(folder, FileName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[2] != Scope.Value
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int id)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks))
            return false;
        return !IsRunning(id, new DateTime(ticks, DateTimeKind.Utc));
    }

    /// <summary>This process's stamp with another process id and start time (for tests).</summary>
    /// <param name="id">The process id.</param>
    /// <param name="startedUtc">The process's start time.</param>
    internal static string StampOf(int id, DateTime startedUtc)
        => id.ToString(CultureInfo.InvariantCulture) + " " + startedUtc.Ticks.ToString(CultureInfo.InvariantCulture) + " " + Scope.Value;

    private static bool IsRunning(int id, DateTime startedUtc)
    {
        try
        {
            using var process = Process.GetProcessById(id);
            return (process.StartTime.ToUniversalTime() - startedUtc).Duration() <= StartTimeTolerance;
        }
        catch (ArgumentException)
        {
            return false;   // no process has that id
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return true;    // it cannot be inspected (another user's, or it is exiting): leave its folder alone
        }
    }

    private static string PidNamespace()
    {
        if (!OperatingSystem.IsLinux())
            return "-";
        try
        {
            return Sanitize(new FileInfo("/proc/self/ns/pid").LinkTarget ?? "-");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "-";
        }
    }

    private static string Sanitize(string text) => text.Replace(' ', '_').Replace('\n', '_');
}
