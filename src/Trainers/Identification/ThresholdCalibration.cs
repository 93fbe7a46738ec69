namespace MLNet.Siamese.Identification;

/// <summary>What the reject threshold of a target false-accept rate is measured on.</summary>
public enum ThresholdCalibration
{
    /// <summary>
    /// <see cref="Model"/> when the gallery has too few classes to measure the target rate (fewer than 1 / rate: under
    /// 100 for 1 %), the model measured its impostor distances on classes held out of training (the <c>photos</c>
    /// recipe holds some out; models validated on other data, or on none, measured them on classes they were trained
    /// on, which they separate better than new ones), the gallery compares items (<see cref="GalleryMode.Items"/>) and
    /// no impostor images were given; <see cref="Gallery"/> otherwise.
    /// </summary>
    Auto,

    /// <summary>
    /// Leave-class-out queries of the gallery itself (each item against the other classes), plus any impostor images
    /// given: the enrolled domain, but as many impostor classes as the gallery has, so a small gallery measures the rate
    /// poorly.
    /// </summary>
    Gallery,

    /// <summary>
    /// The distances between items of different classes that the model measured when it was trained (on classes held out
    /// of training when it had some): the threshold at which a query of a class not enrolled falls within it of none of
    /// the gallery's M rows with the target probability, 1 - (1 - pair rate)^M. Stable for any gallery size, but measured
    /// on the training domain.
    /// </summary>
    Model,
}
