using Microsoft.ML;

namespace MLNet.Siamese.Scoring;

/// <summary>
/// Scores from many threads with one loaded model: each thread gets its own <see cref="PredictionEngine{TSrc, TDst}"/>,
/// created on first use with <see cref="PredictionEngineOptions.OwnsTransformer"/> = <see langword="false"/>, and the
/// engines are never disposed.
/// </summary>
/// <remarks>
/// A <see cref="PredictionEngine{TSrc, TDst}"/> is not thread-safe: one engine shared by threads crashed the process
/// (SIGSEGV) in our measurements. Disposing an engine that owns its transformer disposes the shared model, after which
/// every later <c>Transform</c> throws <see cref="NullReferenceException"/> (ML.NET issue #5945); disposing one
/// per-thread engine also crashed. One engine per thread that does not own the model, never disposed, gave results
/// identical to single-threaded scoring (tested: 8 threads x 2,000 pairs). The shared <see cref="ITransformer"/> itself
/// may also be used from many threads through <c>Transform</c> on separate data views. Dispose the model (not this
/// scorer) once no thread scores any more; that also deletes ML.NET's temporary copy of its ONNX graph.
/// </remarks>
/// <typeparam name="TInput">The input row class.</typeparam>
/// <typeparam name="TOutput">The output row class.</typeparam>
public sealed class ConcurrentScorer<TInput, TOutput>
    where TInput : class
    where TOutput : class, new()
{
    private readonly ThreadLocal<PredictionEngine<TInput, TOutput>> _engines;

    /// <summary>Creates the scorer; no engine is made until a thread first calls <see cref="Predict"/>.</summary>
    /// <param name="mlContext">The ML.NET context the model was loaded with.</param>
    /// <param name="model">The loaded model, shared by all threads and never disposed by this scorer.</param>
    /// <param name="inputSchema">Optional schema of <typeparamref name="TInput"/> (e.g. vector sizes); null to infer it.</param>
    /// <param name="outputSchema">Optional schema of <typeparamref name="TOutput"/>; null to infer it.</param>
    public ConcurrentScorer(MLContext mlContext, ITransformer model,
        Microsoft.ML.Data.SchemaDefinition? inputSchema = null, Microsoft.ML.Data.SchemaDefinition? outputSchema = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        var options = new PredictionEngineOptions
        {
            OwnsTransformer = false,
            InputSchemaDefinition = inputSchema,
            OutputSchemaDefinition = outputSchema,
        };
        _engines = new ThreadLocal<PredictionEngine<TInput, TOutput>>(
            () => mlContext.Model.CreatePredictionEngine<TInput, TOutput>(model, options), trackAllValues: false);
        Model = model;
    }

    /// <summary>The shared model.</summary>
    public ITransformer Model { get; }

    /// <summary>Scores one row with the calling thread's engine. Safe to call from any number of threads at once.</summary>
    /// <param name="input">The input row.</param>
    /// <returns>A new output row (not reused between calls).</returns>
    public TOutput Predict(TInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = new TOutput();
        _engines.Value!.Predict(input, ref result);
        return result;
    }
}
