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
        var trainRows = Enumerable.Range(0, items.Count).Where(i => !heldOut.Contains(items.ClassOfItem[i])).ToArray();
        var validationRows = Enumerable.Range(0, items.Count).Where(i => heldOut.Contains(items.ClassOfItem[i])).ToArray();
        // The rows the run keeps, in order (the data before the split), and where each part's rows are among them.
        int[] classOfKept = items.ClassOfItem, trainInKept = trainRows, validationInKept = validationRows;
        if (validationRows.Length > MaxValidationItems)
        {
            // Validation embeds every held-out item at each validation: past MaxValidationItems, an even draw per class.
            validationRows = EvenDraw(validationRows, items.ClassOfItem, MaxValidationItems, random);
            var kept = trainRows.Concat(validationRows).Order().ToArray();
            var index = new Dictionary<int, int>(kept.Length);
            for (int i = 0; i < kept.Length; i++) index[kept[i]] = i;
            classOfKept = kept.Select(r => items.ClassOfItem[r]).ToArray();
            trainInKept = trainRows.Select(r => index[r]).ToArray();
            validationInKept = validationRows.Select(r => index[r]).ToArray();
        }
        var train = Select(items, trainRows, featureSize, readRows);
        var validation = Select(items, validationRows, featureSize, readRows);
        var labels = new TrainingData { Features = [], FeatureSize = featureSize, ClassOfItem = classOfKept, ClassNames = items.ClassNames, GroupOfClass = items.GroupOfClass };
        return new ClassSplit(train, validation, labels, trainInKept, validationInKept);
    }

    /// <summary>
    /// Held-out items kept at most. Validation embeds all of them before the first step and every
    /// <see cref="SiameseTrainerOptions.ValidationInterval"/> steps: 12,000 held-out Fashion-MNIST images through ResNet18
    /// at 112 px made validation most of a 9-minute run. Past this many, an even draw per held-out class is kept (the
    /// others take no part in the run); smaller data keeps every item, as before.
    /// </summary>
    public const int MaxValidationItems = 2000;

    /// <summary>At most <paramref name="limit"/> of <paramref name="rows"/>, the same number from each class where they have it (a seeded draw), in row order.</summary>
    internal static int[] EvenDraw(int[] rows, int[] classOfItem, int limit, SiameseRandom random)
    {
        var byClass = rows.GroupBy(r => classOfItem[r]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToList();
        var quota = new int[byClass.Count];
        int left = limit;
        // Water-filling: small classes give all they have, the rest share what is left evenly.
        var order = Enumerable.Range(0, byClass.Count).OrderBy(c => byClass[c].Length).ToList();
        for (int k = 0; k < order.Count; k++)
        {
            int c = order[k];
            quota[c] = Math.Min(byClass[c].Length, left / (order.Count - k));
            left -= quota[c];
        }
        var kept = new List<int>(limit);
        for (int c = 0; c < byClass.Count; c++)
        {
            var members = byClass[c];
            for (int i = members.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }
            kept.AddRange(members.Take(quota[c]));
        }
        return kept.Order().ToArray();
    }

    private static TrainingData Select(TrainingData items, int[] rows, int featureSize, Func<int[], float[]> readRows)
    {
        var keptClasses = rows.Select(r => items.ClassOfItem[r]).Distinct().Order().ToArray();
        var newId = keptClasses.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var features = readRows(rows);
        if (features.LongLength != (long)rows.Length * featureSize)
            throw new InvalidOperationException($"{features.LongLength} values were read for {rows.Length} items of {featureSize}.");
        return new TrainingData
        {
            Features = features,
            FeatureSize = featureSize,
            ClassOfItem = rows.Select(r => newId[items.ClassOfItem[r]]).ToArray(),
            ClassNames = keptClasses.Select(c => items.ClassNames[c]).ToArray(),
            GroupOfClass = keptClasses.Select(c => items.GroupOfClass[c]).ToArray(),
        };
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
