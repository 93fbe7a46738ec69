using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace MLNet.Siamese.Tests.Reliability;

/// <summary>What MLNet.Siamese.TrainChild writes at the end of a training run (floats as their bits).</summary>
public sealed class ChildResult
{
    public string? ResumedFrom { get; set; }
    public int[] LossBits { get; set; } = [];
    public int[][] EmbeddingBits { get; set; } = [];
    public int Threshold { get; set; }
}

/// <summary>
/// Runs tests/MLNet.Siamese.TrainChild as a child process (<c>dotnet MLNet.Siamese.TrainChild.dll ...</c>), collects
/// its output lines, and kills it with <see cref="Process.Kill()"/> (SIGKILL on Linux: no handler, no cleanup runs).
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

    /// <summary>The child's dll, as built next to the tests (see the tests csproj).</summary>
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

    public static TrainChildProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var a in args) info.ArgumentList.Add(a);
        return new TrainChildProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the training child"));
    }

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>The highest number N of an output line "<paramref name="prefix"/> N", or -1.</summary>
    public int Last(string prefix) => _lines.Where(l => l.StartsWith(prefix + " ", StringComparison.Ordinal))
        .Select(l => int.TryParse(l.AsSpan(prefix.Length + 1), out int n) ? n : -1).DefaultIfEmpty(-1).Max();

    public bool HasExited => _process.HasExited;

    /// <summary>Polls <paramref name="condition"/> until it holds; fails if the child exits first or time runs out.</summary>
    public void WaitUntil(Func<bool> condition, string what, int timeoutMs = 60_000)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited)
                Assert.Fail($"The training child exited (code {_process.ExitCode}) before {what}. stderr: {string.Join('\n', _errors)}");
            if (clock.ElapsedMilliseconds > timeoutMs)
                Assert.Fail($"Timed out waiting for {what}.");
            Thread.Sleep(2);
        }
    }

    /// <summary>SIGKILL, then wait until the process is gone.</summary>
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
            Assert.Fail("The training child did not finish in time.");
        }
        _process.WaitForExit();
        Assert.AreEqual(0, _process.ExitCode, $"training child failed. stderr: {string.Join('\n', _errors)}\nstdout tail: {string.Join('\n', _lines.TakeLast(10))}");
    }

    public static ChildResult ReadResult(string path) => JsonSerializer.Deserialize<ChildResult>(File.ReadAllText(path))!;

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
