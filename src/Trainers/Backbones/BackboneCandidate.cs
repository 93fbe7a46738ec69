namespace MLNet.Siamese.Backbones;

/// <summary>One way of reading the backbone's features, measured on the training classes before training.</summary>
/// <param name="Stages">Residual stages kept (4: the whole trunk).</param>
/// <param name="ImageSize">Image side in pixels.</param>
/// <param name="MapAtR">MAP@R of the untrained features on the sampled training images, cosine distance.</param>
/// <param name="Chosen">True for the candidate the head trained on.</param>
public sealed record BackboneCandidate(int Stages, int ImageSize, double MapAtR, bool Chosen);
