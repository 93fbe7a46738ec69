using MLNet.Siamese.Backbones;
using MLNet.Siamese.Data;
using Microsoft.ML;

namespace MLNet.Siamese.Trainers;

/// <summary>
/// How the trainer reads its items: image files decoded (or featurized) part by part after the class hold-out, or all
/// at once; images decoded by a LoadImages before it; and the collection that gives back what reading left behind.
/// </summary>
public sealed partial class SiameseTrainer
{
    /// <summary>
    /// Reads the training items and, when classes are held out for validation, splits them. Its own method so that the
    /// items as read (gigabytes for photos) are garbage once split: only the two parts stay.
    /// </summary>
    private (TrainingData Items, ClassSplit? Split) ReadTrainingItems(IDataView input, ImageInput? imageInput, int inputSize, string what,
        Func<IReadOnlyList<string>, float[]>? featurize, FrozenPrefix? prefix, ref TimeSpan featurizing)
    {
        bool holdsOut = _options.ValidationData is null && _options.ValidationClassFraction > 0;
        if (holdsOut && imageInput is { Backbone: null } or { BackboneInNetwork: true } && !DecodedImageReader.HoldsImages(input, imageInput.ImageColumnName))
        {
            // Image files decoded to pixels (or through the backbone's frozen layers): the classes are split first,
            // then each part is decoded, so the pixels are never also held as one array beside the two parts
            // (Fashion-MNIST, 42,000 images at 112 px: 6.3 GB). The featurizer's 512 values per image are split after
            // featurizing, in one pass.
            TrainingData.CheckDecodedLength(imageInput.Preprocessing, inputSize, what, featurize);
            var (labels, paths) = TrainingData.ReadImageLabels(input, imageInput.ImageColumnName, _options.LabelColumnName, _options.GroupColumnName, imageInput.Preprocessing.ImageFolder, what);
            var decode = featurize ?? (part => ImagePreprocessing.DecodeToArray(_context, part, imageInput.Preprocessing with { ImageFolder = null }));
            var parts = ClassHoldOut.Split(labels, _options.ValidationClassFraction, _options.Seed ?? 0, what, inputSize, rows => decode(rows.Select(r => paths[r]).ToList()));
            return (parts.Train, parts);
        }
        var items = imageInput is null
            ? TrainingData.ReadItems(input, _options.FeatureColumnName, _options.LabelColumnName, _options.GroupColumnName, inputSize, what)
            : ReadImages(input, imageInput, _options.GroupColumnName, inputSize, what, featurize, prefix, ref featurizing);
        if (!holdsOut)
            return (items, null);
        var split = ClassHoldOut.Split(items, _options.ValidationClassFraction, _options.Seed ?? 0, what);
        return (split.Train, split);
    }

    /// <summary>
    /// Image items: paths decoded (or featurized) by the library, or images decoded by a LoadImages before the trainer
    /// (through <paramref name="prefix"/> when one is given).
    /// </summary>
    private TrainingData ReadImages(IDataView data, ImageInput images, string? groupColumn, int expectedSize, string what,
        Func<IReadOnlyList<string>, float[]>? featurize, FrozenPrefix? prefix, ref TimeSpan featurizing)
    {
        if (!DecodedImageReader.HoldsImages(data, images.ImageColumnName))
            return TrainingData.ReadImages(_context, data, images.ImageColumnName, _options.LabelColumnName, groupColumn, images.Preprocessing, expectedSize, what, featurize);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var read = DecodedImageReader.Read(_context, data, images with { Decoded = true }, FineTuning.Create(_options)?.ImageSize, _options.LabelColumnName, groupColumn,
            prefix?.PixelLength ?? expectedSize, what);
        if (prefix is not null)
            read = read.WithFeatures(prefix.Featurize(read.Features, read.Count), prefix.ItemLength);
        if (images.Backbone is not null)
            featurizing += clock.Elapsed;
        return read;
    }

    /// <summary>Training items of at least this many input values in all (256 MB as floats) are collected as soon as the run holds them.</summary>
    internal const long LargeItemValues = 1L << 26;

    /// <summary>
    /// Once the run's tensor holds the training items (sharing their array), what reading them left behind is garbage:
    /// the items as read before the class hold-out split them, and decoding's buffers; for photos at 224 px, gigabytes.
    /// The garbage collector cannot see libtorch's memory, so without a push it may keep them for the whole run while the
    /// network's activations grow beside them (measured: RSS 4.68 GB before this collection, 3.39 GB after, Omniglot
    /// fine-tuning, docs/photos.md); one full, compacting collection gives them back before the first step.
    /// </summary>
    private static void ReleaseDecodedItems(int itemCount, int inputSize)
    {
        if ((long)itemCount * inputSize < LargeItemValues) return;
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
