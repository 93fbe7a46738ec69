using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using MLNet.Siamese.Networks;

namespace MLNet.Siamese.Trainers;

/// <summary>How <see cref="SiameseTrainerOptions"/> resolve to one image geometry, one network and one decoding.</summary>
public sealed partial class SiameseTrainerOptions
{
    /// <summary>
    /// Puts <paramref name="backbone"/> in front of the network: sets <see cref="Backbone"/>, its identity-initialised head
    /// (<see cref="PretrainedBackbone.Head"/>) as the <see cref="Network"/>, the backbone's colour <see cref="Geometry"/>
    /// (keeping the image folder of <see cref="Preprocessing"/>), and turns off what works on pixels only (<see cref="Augmentation"/>,
    /// <see cref="RotatedClasses"/>, <see cref="MirroredClasses"/>). Other settings (objective, rates, validation) stay.
    /// </summary>
    /// <param name="backbone">The backbone, e.g. <see cref="PretrainedBackbone.ResNet18"/>.</param>
    public void UseBackbone(PretrainedBackbone backbone)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        Backbone = backbone;
        Network = backbone.Head();
        Geometry = backbone.Geometry;
        Preprocessing = Preprocessing?.ImageFolder is { } folder ? new ImagePreprocessingOptions { ImageFolder = folder } : null;
        Augmentation = null;
        RotatedClasses = false;
        MirroredClasses = false;
    }

    /// <summary>The image geometry of this configuration: every size is read from it.</summary>
    /// <returns>
    /// With a <see cref="Backbone"/>: <see cref="Geometry"/>, else the backbone's. Else the <see cref="Network"/>'s own;
    /// else <see cref="Geometry"/>; else the size and channels of <see cref="Preprocessing"/> when given; else 48 x 48
    /// grayscale.
    /// </returns>
    public ImageGeometry ResolveGeometry()
    {
        if (Backbone is { } backbone) return Geometry ?? backbone.Geometry;
        if (Network is { } network) return network.Geometry;
        if (Geometry is { } geometry) return geometry;
        return Preprocessing is { } p ? new ImageGeometry(p.Height, p.Width, p.Channels) : ImageGeometry.Square(GeneralRecipe.ImageSize);
    }

    /// <summary>The network this configuration trains.</summary>
    /// <returns>
    /// <see cref="Network"/>; else, with a <see cref="Backbone"/>, its identity-initialised head
    /// (<see cref="PretrainedBackbone.Head"/>); else the compact preset with <see cref="EmbeddingDimension"/> built for
    /// <see cref="ResolveGeometry"/>.
    /// </returns>
    public NetworkSpec ResolveNetwork()
    {
        if ((Network ?? Backbone?.Head()) is { } network) return network;
        var geometry = ResolveGeometry();
        return geometry.ApplyTo(NetworkPresets.Compact(geometry.Height, EmbeddingDimension));
    }

    /// <summary>The image decoding of this configuration.</summary>
    /// <returns>The geometry's decoded size and channels, with the inversion and image folder of <see cref="Preprocessing"/>.</returns>
    public ImagePreprocessingOptions ResolvePreprocessing()
        => ResolveGeometry().Preprocessing(Preprocessing?.Invert ?? false, Preprocessing?.ImageFolder);

    /// <summary>What the trainer's validation measures: MAP@R of the held-out classes with a <see cref="Backbone"/>, else pair accuracy.</summary>
    internal string ValidationMetricName() => Backbone is not null ? "MAP@R" : "pair accuracy";
}
