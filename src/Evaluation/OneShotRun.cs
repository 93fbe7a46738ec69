namespace MLNet.Siamese.Evaluation;

/// <summary>
/// One run of the Omniglot one-shot benchmark of Lake et al.: test images, each to be matched against the training
/// images of the run (one per class), with the correct answer for each test image.
/// </summary>
public sealed class OneShotRun
{
    /// <summary>Creates a run.</summary>
    /// <param name="name">The run's folder name, for example "run01".</param>
    /// <param name="testImages">Absolute paths of the test (query) images, in class_labels.txt order.</param>
    /// <param name="trainingImages">Absolute paths of the training (candidate) images.</param>
    /// <param name="correctTrainingIndex">For each test image, the index in <paramref name="trainingImages"/> of its correct match.</param>
    public OneShotRun(string name, IReadOnlyList<string> testImages, IReadOnlyList<string> trainingImages, IReadOnlyList<int> correctTrainingIndex)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(testImages);
        ArgumentNullException.ThrowIfNull(trainingImages);
        ArgumentNullException.ThrowIfNull(correctTrainingIndex);
        if (correctTrainingIndex.Count != testImages.Count)
            throw new ArgumentException($"Run {name} has {testImages.Count} test images but {correctTrainingIndex.Count} answers.", nameof(correctTrainingIndex));
        foreach (int index in correctTrainingIndex)
        {
            if ((uint)index >= (uint)trainingImages.Count)
                throw new ArgumentOutOfRangeException(nameof(correctTrainingIndex), index, $"Run {name} has {trainingImages.Count} training images.");
        }
        Name = name;
        TestImages = testImages;
        TrainingImages = trainingImages;
        CorrectTrainingIndex = correctTrainingIndex;
    }

    /// <summary>The run's folder name, for example "run01".</summary>
    public string Name { get; }

    /// <summary>Absolute paths of the test (query) images, in class_labels.txt order.</summary>
    public IReadOnlyList<string> TestImages { get; }

    /// <summary>Absolute paths of the training (candidate) images, sorted by path.</summary>
    public IReadOnlyList<string> TrainingImages { get; }

    /// <summary>For each test image, the index in <see cref="TrainingImages"/> of its correct match.</summary>
    public IReadOnlyList<int> CorrectTrainingIndex { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {TestImages.Count} test images, {TrainingImages.Count} training images";
}
