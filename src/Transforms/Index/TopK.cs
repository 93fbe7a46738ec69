namespace MLNet.Siamese.Index;

/// <summary>
/// Keeps the k smallest (distance, position) keys of one scan in a bounded max-heap (O(n log k)); equal distances are
/// ordered by position, the earlier item counting as nearer, so results are deterministic.
/// </summary>
internal sealed class TopK
{
    private static readonly IComparer<(float Distance, int Position)> Farthest =
        Comparer<(float Distance, int Position)>.Create((a, b) =>
        {
            int c = b.Distance.CompareTo(a.Distance);
            return c != 0 ? c : b.Position.CompareTo(a.Position);
        });

    private readonly PriorityQueue<int, (float Distance, int Position)> _heap;
    private readonly int _k;

    public TopK(int k)
    {
        _k = k;
        _heap = new PriorityQueue<int, (float, int)>(k + 1, Farthest);
    }

    /// <summary>Offers the distances of items <paramref name="offset"/> .. offset + distances.Length - 1.</summary>
    public void Offer(ReadOnlySpan<float> distances, int offset)
    {
        for (int j = 0; j < distances.Length; j++)
        {
            var key = (distances[j], offset + j);
            if (_heap.Count < _k) _heap.Enqueue(offset + j, key);
            else if (_heap.TryPeek(out _, out var worst) && Farthest.Compare(key, worst) > 0) _heap.DequeueEnqueue(offset + j, key);
        }
    }

    /// <summary>Empties the heap into <paramref name="positions"/> and <paramref name="distances"/>, nearest first; returns how many.</summary>
    public int Drain(Span<int> positions, Span<float> distances)
    {
        int count = _heap.Count;
        for (int i = count - 1; i >= 0; i--)
        {
            _heap.TryDequeue(out int position, out var key);
            positions[i] = position;
            distances[i] = key.Distance;
        }
        return count;
    }
}
