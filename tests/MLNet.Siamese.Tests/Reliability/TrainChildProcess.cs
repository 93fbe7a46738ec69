using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>
/// Runs a .NET program of this repository as a child process (<c>dotnet PROGRAM.dll ...</c>): the built <c>siamese</c>
/// CLI or tests/MLNet.Siamese.TrainChild. Collects its standard output and error lines, and kills it with
/// <see cref="Process.Kill()"/> (SIGKILL on Linux: no handler, no cleanup runs).
/// </summary>
internal sealed class TrainChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private TrainChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _errors.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The checkpoint-writing child's dll, as built next to the tests (see the tests csproj).</summary>
    public static string DllPath
    {
        get
        {
            string path = typeof(TrainChildProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "TrainChildPath").Value!;
            if (!File.Exists(path)) throw new FileNotFoundException($"The training child '{path}' was not built.", path);
            return path;
        }
    }

    /// <summary>
    /// The <c>siamese</c> CLI as built into the test output folder (the tests reference the CLI project, so the build
    /// copies siamese.dll with its runtimeconfig and deps files, next to the same native libraries).
    /// </summary>
    public static string CliPath
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, "siamese.dll");
            if (!File.Exists(path) || !File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")))
                throw new FileNotFoundException($"The siamese CLI '{path}' (with its runtimeconfig.json) is not in the test output folder.", path);
            return path;
        }
    }

    /// <summary>Starts MLNet.Siamese.TrainChild.</summary>
    public static TrainChildProcess Start(params string[] args) => StartDll(DllPath, null, args);

    /// <summary>Starts <c>siamese</c> with the given arguments and extra environment variables.</summary>
    public static TrainChildProcess StartCli(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartDll(CliPath, environment, args);

    private static TrainChildProcess StartDll(string dll, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        return new TrainChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start '{dll}'"));
    }

    /// <summary>Standard output lines received so far.</summary>
    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Standard error lines received so far.</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>The highest number N of an output line "<paramref name="prefix"/> N", or -1.</summary>
    public int Last(string prefix) => _lines.Where(l => l.StartsWith(prefix + " ", StringComparison.Ordinal))
        .Select(l => int.TryParse(l.AsSpan(prefix.Length + 1), out int n) ? n : -1).DefaultIfEmpty(-1).Max();

    /// <summary>
    /// The iterations I of the CLI's plain progress lines "iteration I/N ..." received so far (on standard error with
    /// <c>--json</c>; with fewer than 50 iterations the CLI reports every one).
    /// </summary>
    public IEnumerable<int> CliIterations() => _errors.Where(l => l.StartsWith("iteration ", StringComparison.Ordinal))
        .Select(l =>
        {
            var span = l.AsSpan("iteration ".Length);
            int slash = span.IndexOf('/');
            return slash > 0 && int.TryParse(span[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1;
        })
        .Where(n => n >= 0);

    /// <summary>The highest iteration of <see cref="CliIterations"/>, or -1 before the first progress line.</summary>
    public int LastCliIteration() => CliIterations().DefaultIfEmpty(-1).Max();

    public bool HasExited => _process.HasExited;

    /// <summary>Polls <paramref name="condition"/> until it holds; fails if the child exits first or time runs out.</summary>
    public void WaitUntil(Func<bool> condition, string what, int timeoutMs = 60_000)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited)
                Assert.Fail($"The child exited (code {_process.ExitCode}) before {what}. stderr: {string.Join('\n', _errors)}");
            if (clock.ElapsedMilliseconds > timeoutMs)
                Assert.Fail($"Timed out waiting for {what}.");
            Thread.Sleep(2);
        }
    }

    /// <summary>SIGKILL, then wait until the process is gone and its output is drained.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Waits for a normal exit and checks the exit code.</summary>
    public void WaitForSuccess(int timeoutMs = 120_000)
    {
        if (!_process.WaitForExit(timeoutMs))
        {
            _process.Kill();
            Assert.Fail("The child did not finish in time.");
        }
        _process.WaitForExit();
        Assert.AreEqual(0, _process.ExitCode, $"child failed. stderr: {string.Join('\n', _errors)}\nstdout tail: {string.Join('\n', _lines.TakeLast(10))}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
