using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLNet.Siamese.Tests.Onnx;

/// <summary>Runs ONNX model bytes with ONNX Runtime on float inputs and returns every output by name.</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>One output: its shape and its values (bools as 0/1).</summary>
    public sealed record Output(long[] Shape, float[] Values);

    public static Dictionary<string, Output> Run(byte[] model, params (string Name, float[] Values, long[] Shape)[] inputs)
    {
        using var session = new InferenceSession(model);
        var values = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i.Values, i.Shape)).ToList();
        try
        {
            var outputNames = session.OutputMetadata.Keys.ToList();
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, inputs.Select(i => i.Name).ToList(), values, outputNames);
            var result = new Dictionary<string, Output>(StringComparer.Ordinal);
            for (int k = 0; k < outputNames.Count; k++)
            {
                var info = results[k].GetTensorTypeAndShape();
                float[] data = info.ElementDataType == TensorElementType.Bool
                    ? results[k].GetTensorDataAsSpan<bool>().ToArray().Select(b => b ? 1f : 0f).ToArray()
                    : results[k].GetTensorDataAsSpan<float>().ToArray();
                result[outputNames[k]] = new Output(info.Shape, data);
            }
            return result;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }
}
