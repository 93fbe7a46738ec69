using MLNet.Siamese.Objectives;
using MLNet.Siamese.Sampling;
using MLNet.Siamese.Classes;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Draws the batch an objective asks for (<see cref="BatchShape"/>) at every step, from the class index with the run's
/// generator, or from explicit pairs.
/// </summary>
internal sealed class BatchDrawer
{
    private readonly BatchShape _shape;
    private readonly bool _withinGroup;
    private readonly BatchSampler? _sampler;   // null in explicit pairs mode
    private readonly float[]? _pairSimilar;    // explicit pairs mode: label per pair (left rows, then right rows)
    private readonly SiameseRandom _random;

    public BatchDrawer(BatchShape shape, bool withinGroup, ClassTable? classes, float[]? pairSimilar, SiameseRandom random)
    {
        _shape = shape;
        _withinGroup = withinGroup;
        _pairSimilar = pairSimilar;
        _random = random;
        if (classes is not null)
        {
            _sampler = new BatchSampler(classes, random);
            if (shape is { Kind: BatchKind.ClassBatch, OneGroup: true })
                CheckEnoughClasses(classes, shape.ItemsPerClass, withinGroup);
        }
        else if (shape.Kind != BatchKind.Pairs)
        {
            throw new ArgumentException($"Explicit pairs can only train objectives on pairs, not on {shape.Kind} batches.", nameof(shape));
        }
    }

    public TrainingBatch Draw() => _shape.Kind switch
    {
        BatchKind.Pairs => _sampler is null ? ExplicitPairs() : SampledPairs(),
        BatchKind.Triplets => Triplets(),
        BatchKind.ClassBatch => _shape.OneGroup ? ClassBatchAsEpisode() : ClassBatch(),
        BatchKind.Episode => Episode(),
        _ => throw new NotSupportedException($"Batch kind {_shape.Kind} is not supported."),
    };

    private TrainingBatch SampledPairs()
    {
        var batch = _sampler!.SamplePairs(_shape.Count, 0.5, _withinGroup);
        return new TrainingBatch(batch.Left.Concat(batch.Right).ToArray()) { Similar = batch.Similar };
    }

    private TrainingBatch ExplicitPairs()
    {
        int pairs = _pairSimilar!.Length;
        var left = new long[_shape.Count];
        var right = new long[_shape.Count];
        var similar = new float[_shape.Count];
        for (int i = 0; i < left.Length; i++)
        {
            int p = _random.Next(pairs);
            (left[i], right[i], similar[i]) = (p, pairs + p, _pairSimilar[p]);
        }
        return new TrainingBatch(left.Concat(right).ToArray()) { Similar = similar };
    }

    private TrainingBatch Triplets()
    {
        var t = _sampler!.SampleTriplets(_shape.Count, _withinGroup);
        return new TrainingBatch(t.Anchor.Concat(t.Positive).Concat(t.Negative).ToArray());
    }

    private TrainingBatch ClassBatch()
    {
        var (items, labels) = _sampler!.SampleClassBatch(_shape.Classes, _shape.ItemsPerClass);
        return new TrainingBatch(items) { Labels = labels };
    }

    private TrainingBatch ClassBatchAsEpisode()
    {
        int k = _shape.ItemsPerClass;
        var episode = _sampler!.SampleEpisode(_shape.Classes, k, 0, _withinGroup);
        var labels = new long[episode.Support.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = i / k;
        return new TrainingBatch(episode.Support) { Labels = labels };
    }

    private TrainingBatch Episode()
    {
        int shots = _shape.ItemsPerClass;
        var episode = _sampler!.SampleEpisode(_shape.Classes, shots, _shape.Queries, _withinGroup);
        return new TrainingBatch(episode.Support.Concat(episode.Query).ToArray())
        {
            SupportCount = episode.Support.Length,
            Ways = episode.Support.Length / shots,
            QueryTarget = episode.QueryTarget,
        };
    }

    private static void CheckEnoughClasses(ClassTable classes, int itemsPerClass, bool withinGroup)
    {
        int eligible = withinGroup
            ? classes.ClassesByGroup.Select(g => g.Count(c => classes.RowsOfClass[c].Length >= itemsPerClass)).DefaultIfEmpty(0).Max()
            : classes.NonEmptyClasses.Count(c => classes.RowsOfClass[c].Length >= itemsPerClass);
        if (eligible < 2)
            throw new InvalidOperationException($"Siamese trainer: P x K batches of {itemsPerClass} items per class (Shots + Queries) need classes with {itemsPerClass} items; only {eligible} class(es) have that many{(withinGroup ? " in any one group" : "")}.");
    }
}
