using System.Runtime.InteropServices;

namespace MLNet.Siamese.Runtime;

/// <summary>
/// Keeps glibc's allocator from returning large tensor buffers to the kernel after every operation.
/// </summary>
/// <remarks>
/// With glibc's defaults, every allocation above the mmap threshold (at most 32 MB once it adapts) is a fresh
/// mmap and every free an munmap, so each activation tensor of a training step is faulted in page by page again on
/// every step: measured here, a compact conv step at batch 128 spent half its ~900 ms in the kernel. Turning mmap
/// off for the heap (M_MMAP_MAX = 0) and never trimming the heap top (M_TRIM_THRESHOLD) lets freed buffers be reused
/// in place. Memory is then held at its peak rather than returned, which is what a training loop wants. Applied
/// once per process on glibc Linux; a no-op elsewhere and when <c>MALLOC_MMAP_MAX_</c> is already set by the user.
/// </remarks>
internal static class NativeMemoryTuning
{
    private const int MTrimThreshold = -1;
    private const int MMmapMax = -4;
    private static int _applied;

    /// <summary>True once <see cref="Apply"/> changed the allocator settings in this process.</summary>
    public static bool IsApplied { get; private set; }

    /// <summary>Applies the settings once; later calls do nothing.</summary>
    /// <returns>True if the settings are in force.</returns>
    public static bool Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return IsApplied;
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return false;
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_MAX_") is not null) return false;
        try
        {
            bool ok = mallopt(MMmapMax, 0) == 1;
            ok &= mallopt(MTrimThreshold, int.MaxValue) == 1;
            IsApplied = ok;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            IsApplied = false; // not glibc (e.g. musl): nothing to tune.
        }
        return IsApplied;
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
