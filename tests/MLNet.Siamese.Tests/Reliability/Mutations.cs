namespace MLNet.Siamese.Tests.Reliability;

/// <summary>Random damage to a valid file: bit flips, truncations, byte insertions and overwritten runs.</summary>
internal static class Mutations
{
    public static (byte[] Bytes, string What) Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        int kind = random.Next(4);
        switch (kind)
        {
            case 0:
            {
                int flips = 1 + random.Next(4);
                for (int i = 0; i < flips; i++)
                {
                    int at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }
                return (bytes.ToArray(), $"{flips} bit flip(s)");
            }
            case 1:
            {
                int length = random.Next(bytes.Count);
                return (bytes.Take(length).ToArray(), $"truncated to {length} bytes");
            }
            case 2:
            {
                int at = random.Next(bytes.Count + 1), count = 1 + random.Next(16);
                bytes.InsertRange(at, Enumerable.Range(0, count).Select(_ => (byte)random.Next(256)));
                return (bytes.ToArray(), $"{count} byte(s) inserted at {at}");
            }
            default:
            {
                int at = random.Next(bytes.Count), count = Math.Min(1 + random.Next(8), bytes.Count - at);
                byte value = random.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                for (int i = 0; i < count; i++) bytes[at + i] = value;
                return (bytes.ToArray(), $"{count} byte(s) set to 0x{value:X2} at {at}");
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> on mutations until <paramref name="count"/> are done or <paramref name="budget"/> is spent.</summary>
    public static int Loop(byte[] original, int seed, int count, TimeSpan budget, Action<byte[], string> body)
    {
        var random = new Random(seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int done = 0;
        while (done < count && clock.Elapsed < budget)
        {
            var (bytes, what) = Mutate(original, random);
            body(bytes, what);
            done++;
        }
        return done;
    }
}
