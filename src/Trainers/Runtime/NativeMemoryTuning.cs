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
/// Fine-tuning ResNet18 on 224-px photos is the exception: its activations are hundreds of megabytes, and with mmap off
/// the heap fragmented and grew every step (the Photos example with <c>--fine-tune 1</c>: RSS rising from 7 GB to 14 GB
/// over 125 steps, peak 15.9 GB; 2,720 drawings reached 21.3 GB and were killed). For such runs only the heap top is
/// kept and blocks of 128 MB and more are mapped and returned (<c>largeTensors</c>), the rest reused in place; the same
/// example then stayed near 6.8 GB while training (peak 9.8 GB) and trained as fast (194 s against 195 s). (Leaving mmap
/// at glibc's default threshold instead kept memory flat too but trained in 371 s: every tensor above 128 KB was mapped.)
/// </remarks>
internal static class NativeMemoryTuning
{
    private const int MTrimThreshold = -1;
    private const int MMmapMax = -4;
    private const int MMmapThreshold = -3;

    /// <summary>With large tensors: blocks of this size and above are mapped and returned to the kernel when freed.</summary>
    internal const int LargeTensorMmapThreshold = 128 << 20;
    private static int _applied;

    /// <summary>True once <see cref="Apply"/> changed the allocator settings in this process.</summary>
    public static bool IsApplied { get; private set; }

    /// <summary>
    /// Fine-tuning after a <see cref="Backbones.FrozenPrefix"/>: glibc's own mmap threshold (128 KB), fixed instead of
    /// rising with the blocks freed, so every tensor above it is mapped and returned. With the heap reused in place (either
    /// setting of <see cref="Apply"/>), or with the threshold free to rise to 32 MB (glibc's default), RSS grew by tens of
    /// megabytes a step after the prefix's pass (Omniglot, <c>--fine-tune 1 --no-augment</c>: 22 GB after 500 steps);
    /// fixed, it stayed at 4.6 GB, at 1.5 s a step against 0.95 s (and 2.1 s without the prefix). Applied once per
    /// process, like <see cref="Apply"/>.
    /// </summary>
    /// <returns>True if the setting is in force.</returns>
    public static bool ApplyFixedThreshold() => ApplyOnce(() => mallopt(MMmapThreshold, DefaultMmapThreshold) == 1);

    /// <summary>glibc's initial mmap threshold: 128 KB.</summary>
    internal const int DefaultMmapThreshold = 128 << 10;

    /// <summary>Applies the settings once; later calls do nothing (the first call's choice stays: mallopt is process-wide).</summary>
    /// <param name="largeTensors">The run's tensors are hundreds of megabytes (fine-tuning on photos): map blocks of
    /// <see cref="LargeTensorMmapThreshold"/> and more, reuse the rest, never trim the heap top.</param>
    /// <returns>True if the settings are in force.</returns>
    public static bool Apply(bool largeTensors = false) => ApplyOnce(() =>
        (largeTensors ? mallopt(MMmapThreshold, LargeTensorMmapThreshold) == 1 : mallopt(MMmapMax, 0) == 1)
        & mallopt(MTrimThreshold, int.MaxValue) == 1);

    /// <summary>
    /// Runs <paramref name="settings"/> the first time any setting is asked for in this process, on glibc Linux, unless the
    /// user set <c>MALLOC_MMAP_MAX_</c>; later calls return what the first one did.
    /// </summary>
    private static bool ApplyOnce(Func<bool> settings)
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return IsApplied;
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return false;
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_MAX_") is not null) return false;
        try
        {
            IsApplied = settings();
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
