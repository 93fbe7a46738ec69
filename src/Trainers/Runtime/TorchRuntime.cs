using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MLNet.Siamese.Runtime;

/// <summary>
/// Checks once per process that TorchSharp's native backend loads, and turns the loader's misleading failure on
/// older Linux systems into an exception that says what is missing and how to fix it.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _checked;

    /// <summary>
    /// Makes sure a libtorch backend is loaded; call before the first tensor. Cheap after the first call.
    /// </summary>
    /// <exception cref="InvalidOperationException">No backend could be loaded; the message names the cause and the fix.</exception>
    public static void EnsureAvailable()
    {
        if (_checked) return;
        lock (Gate)
        {
            if (_checked) return;
            try
            {
                using var probe = ones(1);
                _checked = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new InvalidOperationException(Explain(ex), ex);
            }
        }
    }

    /// <summary>Builds the explanation for a failed load.</summary>
    /// <param name="failure">The exception TorchSharp threw.</param>
    /// <returns>A message naming the cause and the fix.</returns>
    internal static string Explain(Exception failure)
    {
        string baseDir = AppContext.BaseDirectory;
        var glue = Directory.Exists(baseDir) ? Directory.GetFiles(baseDir, "libLibTorchSharp.so", SearchOption.AllDirectories) : Array.Empty<string>();
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && glue.Length > 0 && !SystemLibStdCxxHas("GLIBCXX_3.4.32")
            && glue.Any(NeedsStrictGlibcxx332))
        {
            return "TorchSharp's native library could not be loaded: " + glue[0] + " requires GLIBCXX_3.4.32 (GCC 13's libstdc++), "
                + "and this system's libstdc++ is older (Debian 12 and Ubuntu 22.04 ship GCC 12's). MLNet.Siamese adapts the copy in the "
                + "build output after every build (MSBuild target MLNetSiamesePatchLibTorchSharpAfterBuild, imported from the "
                + "MLNet.Siamese.Trainers package); this output was not adapted. Rebuild the application with the package referenced, "
                + "or install a libstdc++ from GCC 13 or newer. See docs/torchsharp-on-older-linux.md. Loader message: " + failure.Message;
        }
        if (glue.Length == 0)
        {
            return "TorchSharp's native backend is missing: the application references no libtorch package. Add one to the "
                + "runnable project (libtorch-cpu-linux-x64, libtorch-cpu-win-x64, libtorch-cpu-osx-arm64, or a libtorch-cuda-* package; "
                + "see the README's 'Packages' section). Loader message: " + failure.Message;
        }
        return "TorchSharp's native backend could not be loaded: " + failure.Message;
    }

    private static bool SystemLibStdCxxHas(string version)
    {
        string? path = ElfVersionNeeds.SystemLibStdCxx();
        try
        {
            return path is not null && ElfVersionNeeds.Provides(File.ReadAllBytes(path), version);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>True when the library still demands GLIBCXX_3.4.32 strictly (its version requirement is not weak).</summary>
    /// <param name="path">Path of libLibTorchSharp.so.</param>
    /// <returns>True if the requirement is present and not marked weak.</returns>
    internal static bool NeedsStrictGlibcxx332(string path)
    {
        try
        {
            return ElfVersionNeeds.IsStrict(File.ReadAllBytes(path), ElfVersionNeeds.TorchSharpGlibcxx);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or IndexOutOfRangeException or OverflowException)
        {
            return false;
        }
    }
}
