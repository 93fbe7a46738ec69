namespace MLNet.Siamese.Index;

/// <summary>
/// The open-set decision rule shared by identifiers and their evaluation: a query is accepted as known when its
/// nearest gallery distance is at most a threshold. <see cref="ForFalseAcceptRate"/> chooses the threshold from the
/// nearest distances of impostor queries (queries whose class is not in the gallery).
/// </summary>
public static class OpenSetThreshold
{
    /// <summary>
    /// The largest threshold that accepts at most <c>floor(targetRate * n)</c> of the <c>n</c> impostor distances
    /// (accepted: distance &lt;= threshold). With sorted distances s, that is the float just below s[floor(rate * n)],
    /// or +infinity when the rate allows every impostor. Ties can make fewer impostors accepted, never more.
    /// </summary>
    /// <param name="impostorDistances">Nearest-gallery distances of impostor queries (at least one, finite).</param>
    /// <param name="targetRate">Target false-accept rate in [0, 1].</param>
    /// <returns>The threshold.</returns>
    /// <exception cref="ArgumentException">No distances, or a NaN or infinite one.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1].</exception>
    public static float ForFalseAcceptRate(IReadOnlyList<float> impostorDistances, double targetRate)
    {
        ArgumentNullException.ThrowIfNull(impostorDistances);
        if (impostorDistances.Count == 0)
            throw new ArgumentException("No impostor distances: calibrating an unknown threshold needs queries of classes outside the gallery.", nameof(impostorDistances));
        if (!(targetRate >= 0 && targetRate <= 1))
            throw new ArgumentOutOfRangeException(nameof(targetRate), targetRate, "The target false-accept rate must be between 0 and 1.");
        var sorted = impostorDistances.ToArray();
        foreach (float d in sorted)
            if (!float.IsFinite(d))
                throw new ArgumentException("An impostor distance is NaN or infinite.", nameof(impostorDistances));
        Array.Sort(sorted);
        int allowed = (int)Math.Floor(targetRate * sorted.Length + 1e-9);
        return allowed >= sorted.Length ? float.PositiveInfinity : MathF.BitDecrement(sorted[allowed]);
    }

    /// <summary>The fraction of distances at or below the threshold.</summary>
    /// <param name="distances">Nearest distances.</param>
    /// <param name="threshold">The threshold.</param>
    /// <returns>The accepted fraction (0 for no distances).</returns>
    public static double AcceptedFraction(IReadOnlyList<float> distances, float threshold)
    {
        ArgumentNullException.ThrowIfNull(distances);
        return distances.Count == 0 ? 0 : distances.Count(d => d <= threshold) / (double)distances.Count;
    }
}
