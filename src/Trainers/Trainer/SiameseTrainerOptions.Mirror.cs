using MLNet.Siamese.Backbones;
using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Trainers;

public sealed partial class SiameseTrainerOptions
{
    /// <summary>
    /// With a frozen <see cref="Backbone"/> (<see cref="FineTuneStages"/> 0): each photo's backbone features are the mean
    /// of its own and its mirror image's (<see cref="EmbeddingView.PhotoAndMirror"/>), in training, validation and the
    /// saved model alike; the head takes the mean. The backbone then runs inside the network's ONNX graph (trunk, the
    /// mean over the two views, head: one graph, which the pair scorer's two branches share) instead of ML.NET's
    /// featurizer, and twice per photo, so featurizing and scoring take about twice as long. Use it where a class does
    /// not change in a mirror (faces, objects, products; not text). Measured in docs/photos.md ("Mirrored views").
    /// Default false.
    /// </summary>
    public bool MirrorViews { get; set; }

    /// <summary>
    /// With <see cref="SelectBackboneFeatures"/>: after choosing the features, measure them averaged over each sampled
    /// training photo and its mirror image, by MAP@R over the training classes, and turn <see cref="MirrorViews"/> on when
    /// they gain at least 0.005 (half a point). The measurement is in
    /// <see cref="TrainingSummary.BackboneSelection"/>. Default false.
    /// </summary>
    public bool SelectMirrorViews { get; set; }
}
