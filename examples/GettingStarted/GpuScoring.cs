namespace MLNet.Siamese.Examples.GettingStarted;

#region gpu-scoring
using Microsoft.ML;

// The scoring application references Microsoft.ML.OnnxRuntime.Gpu 1.31.0 instead of Microsoft.ML.OnnxRuntime.
public static class GpuScoring
{
    public static ITransformer Load(string zipPath)
    {
        var ml = new MLContext { GpuDeviceId = 0, FallbackToCpu = true };   // CUDA device 0; the CPU if CUDA cannot start
        return ml.Model.Load(zipPath, out _);                              // the ONNX transformer reads both settings
    }
}
#endregion
