namespace MLNet.Siamese.Sampling;

/// <summary>
/// The library's one random generator (xoshiro256**): the trainer's batches and augmentation, the pair and triplet
/// generators, the one-shot evaluator's episodes and the class hold-out all draw from it. Its whole state can be saved
/// in a checkpoint and restored, so a resumed run draws exactly the batches an uninterrupted run would have drawn.
/// </summary>
internal sealed class SiameseRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the generator (SplitMix64 expansion of <paramref name="seed"/>).</summary>
    /// <param name="seed">The seed.</param>
    public SiameseRandom(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The generator's state, for checkpoints.</summary>
    public ulong[] State
    {
        get => new[] { _s0, _s1, _s2, _s3 };
        set
        {
            if (value is null || value.Length != 4 || value.All(v => v == 0))
                throw new ArgumentException("A generator state is four numbers, not all zero.", nameof(value));
            (_s0, _s1, _s2, _s3) = (value[0], value[1], value[2], value[3]);
        }
    }

    /// <summary>The next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    /// <param name="maxExclusive">Upper bound, positive.</param>
    /// <returns>The integer.</returns>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        // Lemire's multiply-shift with rejection: unbiased.
        ulong range = (ulong)maxExclusive;
        while (true)
        {
            ulong x = NextUInt64() >> 32;
            ulong m = x * range;
            if ((uint)m >= (uint)((0x1_0000_0000UL - range) % range)) return (int)(m >> 32);
        }
    }

    /// <summary>A uniform double in [0, 1).</summary>
    /// <returns>The number.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    /// <returns>The number.</returns>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates).</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">The items.</param>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
