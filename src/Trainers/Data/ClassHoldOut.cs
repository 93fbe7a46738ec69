using MLNet.Siamese.Sampling;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// Splits training items by class: a seeded draw of whole classes is held out as validation data, so that validation
/// measures classes the network never saw (<see cref="SiameseTrainerOptions.ValidationClassFraction"/>).
/// </summary>
internal static class ClassHoldOut
{
    /// <summary>
    /// The items of the kept classes and those of the held-out ones: round(fraction * classes) classes, at least two,
    /// leaving at least two to train on; only classes with two or more items are held out (a validation class needs a pair).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1).</exception>
    /// <exception cref="InvalidOperationException">Too few classes to hold two out and train on two.</exception>
    public static ClassSplit Split(TrainingData items, double fraction, int seed, string what)
        => Split(items, fraction, seed, what, items.FeatureSize, rows => CopyRows(items, rows));

    /// <summary>
    /// The same split, each part's features read by <paramref name="readRows"/> (given the part's rows before the split,
    /// in order; it returns <paramref name="featureSize"/> values per row): images decoded part by part are never also
    /// held as one array beside the parts (for photos in the network, gigabytes).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1).</exception>
    /// <exception cref="InvalidOperationException">Too few classes to hold two out and train on two.</exception>
    public static ClassSplit Split(TrainingData items, double fraction, int seed, string what, int featureSize, Func<int[], float[]> readRows)
    {
        if (!(fraction is > 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "ValidationClassFraction must be in (0, 1), or 0 for no held-out classes.");
        int classes = items.ClassNames.Length;
        var counts = new int[classes];
        foreach (int c in items.ClassOfItem) counts[c]++;
        var candidates = Enumerable.Range(0, classes).Where(c => counts[c] >= 2).ToArray();
        int take = Math.Max(2, (int)Math.Round(fraction * classes));
        if (candidates.Length < 2 || classes - take < 2)
            throw new InvalidOperationException($"{what}: ValidationClassFraction {fraction} needs at least two classes with two items to hold out and two classes to train on; the data has {classes} classes ({candidates.Length} with two items).");
        take = Math.Min(take, candidates.Length);
        var random = new SiameseRandom(seed);
        for (int i = candidates.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }
        var heldOut = candidates.Take(take).ToHashSet();
        var (train, trainRows) = Select(items, c => !heldOut.Contains(c), featureSize, readRows);
        var (validation, validationRows) = Select(items, heldOut.Contains, featureSize, readRows);
        var labels = new TrainingData { Features = [], FeatureSize = featureSize, ClassOfItem = items.ClassOfItem, ClassNames = items.ClassNames, GroupOfClass = items.GroupOfClass };
        return new ClassSplit(train, validation, labels, trainRows, validationRows);
    }

    private static (TrainingData Items, int[] Rows) Select(TrainingData items, Func<int, bool> keepClass, int featureSize, Func<int[], float[]> readRows)
    {
        var keptClasses = Enumerable.Range(0, items.ClassNames.Length).Where(keepClass).ToArray();
        var newId = keptClasses.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var itemIndices = Enumerable.Range(0, items.Count).Where(i => newId.ContainsKey(items.ClassOfItem[i])).ToArray();
        var features = readRows(itemIndices);
        if (features.LongLength != (long)itemIndices.Length * featureSize)
            throw new InvalidOperationException($"{features.LongLength} values were read for {itemIndices.Length} items of {featureSize}.");
        return (new TrainingData
        {
            Features = features,
            FeatureSize = featureSize,
            ClassOfItem = itemIndices.Select(i => newId[items.ClassOfItem[i]]).ToArray(),
            ClassNames = keptClasses.Select(c => items.ClassNames[c]).ToArray(),
            GroupOfClass = keptClasses.Select(c => items.GroupOfClass[c]).ToArray(),
        }, itemIndices);
    }

    /// <summary>The features of <paramref name="rows"/>, copied in order from <paramref name="items"/>.</summary>
    private static float[] CopyRows(TrainingData items, int[] rows)
    {
        int size = items.FeatureSize;
        var features = new float[(long)rows.Length * size];
        for (int k = 0; k < rows.Length; k++)
            items.Features.AsSpan(rows[k] * size, size).CopyTo(features.AsSpan(k * size, size));
        return features;
    }
}
