namespace MLNet.Siamese.Trainers;

/// <summary>Which spread of the training items' features a whitened start of a backbone's head evens out.</summary>
public enum WhiteningKind
{
    /// <summary>
    /// PCA whitening: the covariance of all the training items' features, no labels needed
    /// (<see cref="SiameseTrainerOptions.HeadWhiteningPowers"/>).
    /// </summary>
    Pca,

    /// <summary>
    /// Within-class whitening: the covariance of each training item around its own class's mean
    /// (<see cref="SiameseTrainerOptions.HeadWithinClassWhiteningPowers"/>). It shrinks the directions in which photos
    /// of one class differ (pose, lighting, a pen's hand) and so widens, relatively, those in which classes differ.
    /// </summary>
    WithinClass,
}
