namespace MLNet.Siamese.Tests.Reliability;

/// <summary>A fresh folder under the temp directory, deleted on dispose.</summary>
internal sealed class ReliabilityFolder : IDisposable
{
    public ReliabilityFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlnet-siamese-tests", "reliability-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
