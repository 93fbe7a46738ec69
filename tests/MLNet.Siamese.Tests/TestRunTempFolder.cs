namespace MLNet.Siamese.Tests;

/// <summary>
/// Gives the whole test run one temporary folder: <c>TMPDIR</c> (which <see cref="Path.GetTempPath"/> and so every
/// <c>MLContext.TempFilePath</c> default, <c>TempFolder</c> and child process read) points into it while the tests run,
/// and it is deleted at the end, so the hundreds of ONNX copies ML.NET writes for models the tests never dispose do not
/// pile up in the machine's temporary folder.
/// </summary>
[TestClass]
public static class TestRunTempFolder
{
    private static string? _previous;
    private static string? _folder;

    [AssemblyInitialize]
    public static void Redirect(TestContext context)
    {
        _previous = Environment.GetEnvironmentVariable("TMPDIR");
        _folder = Path.Combine(Path.GetTempPath(), "mlnet-siamese-test-run-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
        Environment.SetEnvironmentVariable("TMPDIR", _folder);
    }

    [AssemblyCleanup]
    public static void Remove()
    {
        Environment.SetEnvironmentVariable("TMPDIR", _previous);
        if (_folder is null)
            return;
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !OperatingSystem.IsWindows())
        {
            // Names that are not UTF-8 (the hostile-name tests make some) cannot be deleted through .NET's string paths.
            using var rm = System.Diagnostics.Process.Start("rm", ["-rf", _folder]);
            rm?.WaitForExit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
