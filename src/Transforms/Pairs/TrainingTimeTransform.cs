namespace MLNet.Siamese.Transforms;

/// <summary>The messages of training-time transforms (pair and triplet generators), which a saved model cannot hold.</summary>
internal static class TrainingTimeTransform
{
    public static NotSupportedException CannotSave(string transformer, string factory)
        => new($"{transformer} is a training-time transform: it turns labelled rows into training examples, is not part of a " +
               "saved model, and cannot be saved (Microsoft.ML 5 lets no third-party transform write its state into a model zip). " +
               $"Fit it separately and keep it out of the pipeline you save: var examples = mlContext.Siamese().{factory}(...)" +
               ".Fit(data).Transform(data); then fit the rest of the pipeline on 'examples' and save only that model " +
               "(mlContext.Model.Save(model, examples.Schema, path)).");

    public static NotSupportedException NoRowMapper(string transformer)
        => new($"{transformer} is a training-time transform that makes new rows from the whole input (it is not row to row), " +
               "so it has no row-to-row mapper and cannot be used in a prediction engine.");
}
