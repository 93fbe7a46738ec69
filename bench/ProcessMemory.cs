namespace MLNet.Siamese.Bench;

/// <summary>Reads the resident set size (VmRSS) and its peak (VmHWM) of this process from /proc/self/status.</summary>
internal static class ProcessMemory
{
    public static (double RssMiB, double PeakMiB) Read()
    {
        double rss = double.NaN, hwm = double.NaN;
        if (!File.Exists("/proc/self/status")) return (rss, hwm);
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kib(line) / 1024.0;
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kib(line) / 1024.0;
        }
        return (rss, hwm);
    }

    private static double Kib(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
