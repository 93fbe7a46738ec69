using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Siamese.Index;
using MLNet.Siamese.Trainers;

namespace MLNet.Siamese.Examples.GettingStarted;

/// <summary>The similarity-index samples quoted by docs/similarity-index.md (compiled here so they cannot rot).</summary>
public static class SimilaritySearch
{
    public static SimilarityIndex BuildAndQuery(SiameseModel model, IDataView gallery, IReadOnlyList<string> labels, float[] queryEmbedding, float[][] queryEmbeddings)
    {
        #region similarity-index
        // Embed the gallery with the trained model (any IDataView with the model's input column).
        float[][] embeddings = model.Transform(gallery).GetColumn<float[]>("Embedding").ToArray();

        var index = new SimilarityIndex(model.EmbeddingDimension, VectorDistance.Euclidean);   // or VectorDistance.Cosine
        index.AddRange(embeddings.Select((e, i) => ($"item-{i}", labels[i], e)));             // ids unique; all or nothing
        IReadOnlyList<SimilarityMatch> top = index.Search(queryEmbedding, k: 9);              // (Id, Label, Distance), nearest first
        IReadOnlyList<SimilarityMatch>[] many = index.SearchBatch(queryEmbeddings, k: 9);     // parallel over queries

        index.Save("gallery.mlnsidx");                        // atomic: temp file + rename
        var again = SimilarityIndex.Load("gallery.mlnsidx");  // verifies the SHA-256 trailer
        #endregion
        Console.WriteLine($"{top.Count} + {many.Length} results; {again.Count} items reloaded");
        return index;
    }

    public static NearestNeighborsPrediction Nearest(MLContext ml, SiameseModel model, SimilarityIndex index, IDataView embeddedData)
    {
        #region nearest-neighbors
        // embeddings in, k nearest gallery items out: NeighborIds, NeighborLabels (text vectors), NeighborDistances (Single vector)
        var nearest = ml.Siamese().NearestNeighbors(index, k: 5, embeddingColumnName: "Embedding").Fit(embeddedData);
        var engine = ml.Model.CreatePredictionEngine<ImageItem, NearestNeighborsPrediction>(model.Embedder.Append(nearest));
        NearestNeighborsPrediction p = engine.Predict(new ImageItem { ImagePath = "query.png" });   // p.NeighborIds[0], ...
        #endregion
        return p;
    }
}
