using SkiaSharp;

namespace MLNet.Siamese.Data;

/// <summary>
/// Checks an image file before ML.NET decodes it: ML.NET's LoadImages trusts the header's size (a few hundred bytes of
/// PNG claiming 100000x100000 pixels make it allocate gigabytes) and silently fills a truncated image with black.
/// The header is read with SkiaSharp (the decoder ML.NET uses), the size is checked against
/// <see cref="ImagePreprocessing.MaxImagePixels"/>, and the image is decoded once (to RGBA) to prove it complete.
/// </summary>
internal static class ImageFileCheck
{
    public static void Check(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length == 0)
            throw new InvalidDataException($"Image file '{path}' is empty (0 bytes).");
        using var codec = SKCodec.Create(stream, out SKCodecResult result)
            ?? throw new InvalidDataException($"Image file '{path}' is not an image that can be decoded ({result}).");
        var info = codec.Info;
        long pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0 || pixels > ImagePreprocessing.MaxImagePixels)
            throw new InvalidDataException($"Image file '{path}' claims {info.Width}x{info.Height} pixels, more than the limit of {ImagePreprocessing.MaxImagePixels} pixels; it is refused without decoding.");
        var rgba = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var buffer = new byte[pixels * 4];
        var pin = System.Runtime.InteropServices.GCHandle.Alloc(buffer, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            result = codec.GetPixels(rgba, pin.AddrOfPinnedObject());
        }
        finally
        {
            pin.Free();
        }
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"Image file '{path}' could not be decoded completely ({result}: truncated or corrupt image data).");
    }
}
