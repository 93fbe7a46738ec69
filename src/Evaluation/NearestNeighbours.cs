namespace MLNet.Siamese.Evaluation;

/// <summary>
/// Picks the k smallest distances of one query with a bounded max-heap (O(n log k)), ties broken by item index
/// (the lower index is nearer), and returns them nearest first.
/// </summary>
internal sealed class NearestNeighbours
{
    private static readonly IComparer<(float Distance, int Index)> Farthest =
        Comparer<(float Distance, int Index)>.Create((a, b) =>
        {
            int c = b.Distance.CompareTo(a.Distance);
            return c != 0 ? c : b.Index.CompareTo(a.Index);
        });

    private readonly PriorityQueue<int, (float Distance, int Index)> _heap;
    private readonly int _k;

    public NearestNeighbours(int k)
    {
        _k = k;
        _heap = new PriorityQueue<int, (float, int)>(k + 1, Farthest);
    }

    /// <summary>Fills <paramref name="result"/> (length k or less) with the nearest items other than <paramref name="exclude"/>, nearest first; returns how many.</summary>
    public int Select(ReadOnlySpan<float> distances, int exclude, Span<int> result)
    {
        _heap.Clear();
        if (_k == 0) return 0;
        for (int j = 0; j < distances.Length; j++)
        {
            if (j == exclude) continue;
            var key = (distances[j], j);
            if (_heap.Count < _k) _heap.Enqueue(j, key);
            else if (_heap.TryPeek(out _, out var worst) && Farthest.Compare(key, worst) > 0) _heap.DequeueEnqueue(j, key);
        }
        int count = _heap.Count;
        for (int i = count - 1; i >= 0; i--) result[i] = _heap.Dequeue();
        return count;
    }
}
