using TorchSharp;

namespace MLNet.Siamese.Trainers;

/// <summary>A module's parameters and buffers as bytes (TorchSharp's format), to snapshot, checkpoint and restore them.</summary>
internal static class ModuleState
{
    public static byte[] Save(torch.nn.Module module)
    {
        using var stream = new MemoryStream();
        module.save(stream);
        return stream.ToArray();
    }

    public static void Load(torch.nn.Module module, byte[] state)
    {
        using var stream = new MemoryStream(state);
        module.load(stream);
    }
}
