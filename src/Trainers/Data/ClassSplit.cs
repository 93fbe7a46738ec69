namespace MLNet.Siamese.Trainers;

/// <summary>
/// The two parts of a class hold-out (<see cref="ClassHoldOut.Split(TrainingData, double, int, string)"/>) and where every item of the data before the split
/// went, so that the whole training set can still be read, row by row, without a third copy of its features (for photos
/// at 224 px that copy alone was 1.6 GB per 2,720 images).
/// </summary>
/// <param name="Train">The items of the classes kept for training.</param>
/// <param name="Validation">The items of the held-out classes.</param>
/// <param name="All">The data before the split, without features (<see cref="TrainingData.Features"/> is empty): its classes, groups and the class of each row; past <see cref="ClassHoldOut.MaxValidationItems"/> held-out items, only the rows the run keeps.</param>
/// <param name="TrainRows">For each item of <paramref name="Train"/>, its row in <paramref name="All"/>.</param>
/// <param name="ValidationRows">For each item of <paramref name="Validation"/>, its row in <paramref name="All"/>.</param>
internal sealed record ClassSplit(TrainingData Train, TrainingData Validation, TrainingData All, int[] TrainRows, int[] ValidationRows)
{
    private int[]? _partRow;   // row before the split -> index in its part, held-out rows as -1 - index

    /// <summary>The features of row <paramref name="row"/> of the data before the split, read from the part that holds it.</summary>
    public ReadOnlySpan<float> Item(long row)
    {
        if (_partRow is null)
        {
            var partRow = new int[All.Count];
            for (int i = 0; i < TrainRows.Length; i++) partRow[TrainRows[i]] = i;
            for (int i = 0; i < ValidationRows.Length; i++) partRow[ValidationRows[i]] = -1 - i;
            _partRow = partRow;
        }
        int index = _partRow[row];
        int size = All.FeatureSize;
        return index >= 0 ? Train.Features.AsSpan(index * size, size) : Validation.Features.AsSpan((-1 - index) * size, size);
    }

    /// <summary>The training and held-out parts, as a pair.</summary>
    public void Deconstruct(out TrainingData train, out TrainingData validation)
    {
        train = Train;
        validation = Validation;
    }
}
